"""Races on PostgreSQL with real threads, kept consistent by the team row lock."""

import threading

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from core.errors import DomainError
from roster import services
from teams.models import Membership
from teams.tests.factories import MembershipFactory, TeamFactory

from .conftest import active_roles, captain_count, make_roster

pytestmark = [
    pytest.mark.postgres,
    # serialized_rollback restores the seeded games that the flush after a
    # transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def run_at_once(*calls):
    """Run each call in its own thread, released together; return the outcomes.

    An outcome is the call's return value or the DomainError it raised.
    """
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except DomainError as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(index, call))
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def _errors(outcomes):
    return [outcome for outcome in outcomes if isinstance(outcome, DomainError)]


def test_co_captains_remove_each_other(postgres_only):
    roster = make_roster()
    second = MembershipFactory(team=roster.team, role="co_captain")
    first_user = roster.user("co_captain")
    second_user = second.profile.user

    outcomes = run_at_once(
        lambda: services.roster_remove_member(roster.team, second.pk, actor=first_user),
        lambda: services.roster_remove_member(
            roster.team, roster.co_captain.pk, actor=second_user
        ),
    )

    assert [error.status for error in _errors(outcomes)] == [403, 403]
    roles = active_roles(roster.team)
    assert roles[second.pk] == "co_captain"
    assert roles[roster.co_captain.pk] == "co_captain"
    assert captain_count(roster.team) == 1


def test_demotion_races_removal(postgres_only):
    # The captain demotes the co-captain while the co-captain removes a
    # player: the removal may pass only if it ran before the demotion.
    for _ in range(5):
        roster = make_roster()
        outcomes = run_at_once(
            lambda roster=roster: services.roster_change_role(
                roster.team,
                roster.co_captain.pk,
                "player",
                actor=roster.user("captain"),
            ),
            lambda roster=roster: services.roster_remove_member(
                roster.team, roster.player.pk, actor=roster.user("co_captain")
            ),
        )
        demoted, removal = outcomes
        assert not isinstance(demoted, DomainError)
        roles = active_roles(roster.team)
        assert roles[roster.co_captain.pk] == "player"
        if isinstance(removal, DomainError):
            assert removal.status == 403
            assert roster.player.pk in roles
        else:
            assert roster.player.pk not in roles
        assert captain_count(roster.team) == 1


def test_transfer_races_leave(postgres_only):
    # The captain hands over to X while X leaves: either X becomes captain
    # and cannot leave, or X is gone and the transfer finds no member.
    seen = set()
    for _ in range(6):
        roster = make_roster()
        x = roster.target
        transfer, leave = run_at_once(
            lambda roster=roster, x=x: services.roster_transfer_captaincy(
                roster.team, x.pk, actor=roster.user("captain")
            ),
            lambda roster=roster, x=x: services.roster_leave(
                roster.team, actor=x.profile.user
            ),
        )
        roles = active_roles(roster.team)
        assert captain_count(roster.team) == 1
        if isinstance(transfer, DomainError):
            assert transfer.code == "member_not_found"
            assert not isinstance(leave, DomainError)
            assert x.pk not in roles
            assert roles[roster.captain.pk] == "captain"
            seen.add("leave first")
        else:
            assert isinstance(leave, DomainError)
            assert leave.code == "captain_must_transfer"
            assert roles[x.pk] == "captain"
            assert roles[roster.captain.pk] == "co_captain"
            seen.add("transfer first")
    assert seen  # each round took one of the two orders


def test_join_last_slot_one_winner(postgres_only):
    team = TeamFactory()
    MembershipFactory(team=team, role="captain")
    for _ in range(5):
        MembershipFactory(team=team, role="player")  # 6 of 7 slots taken
    profiles = [UserFactory().profile for _ in range(10)]

    outcomes = run_at_once(
        *[
            lambda profile=profile: services.membership_join(
                team, profile, role="player"
            )
            for profile in profiles
        ]
    )

    errors = _errors(outcomes)
    assert len(outcomes) - len(errors) == 1
    assert len(errors) == 9
    assert {error.code for error in errors} == {"roster_full"}
    slots = Membership.objects.filter(team=team, status="active").exclude(role="coach")
    assert slots.count() == 7


def test_join_two_teams_same_game(postgres_only):
    first, second = TeamFactory(), TeamFactory()
    profile = UserFactory().profile

    outcomes = run_at_once(
        lambda: services.membership_join(first, profile, role="player"),
        lambda: services.membership_join(second, profile, role="player"),
    )

    errors = _errors(outcomes)
    assert len(errors) == 1
    assert errors[0].code == "already_in_game"
    assert Membership.objects.filter(profile=profile, status="active").count() == 1
