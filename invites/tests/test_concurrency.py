"""Races between joins, with real threads on PostgreSQL.

Each thread has its own database connection; a Barrier starts them together
so their transactions overlap on the team row lock.
"""

import threading

import pytest
from django.db import connections

from accounts.tests.factories import UserFactory
from core.errors import DomainError
from invites import services
from invites.models import Invite, InviteLink, InviteLinkUse
from teams.models import Membership
from teams.tests.factories import team_with_roster

from .factories import InviteFactory, JoinRequestFactory, fill_roster, link_with_token

pytestmark = [
    pytest.mark.postgres,
    # serialized_rollback restores the games seeded by a data migration,
    # which the flush after a transactional test would delete.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _race(calls):
    """Run the calls at once in threads; return one outcome per call.

    An outcome is ("ok", value) or ("error", code) for a DomainError; any
    other exception fails the test.
    """
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = ("ok", call())
        except DomainError as error:
            outcomes[index] = ("error", error.code)
        except Exception as error:  # noqa: BLE001 (reported by the assert below)
            outcomes[index] = ("crash", repr(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, call))
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    crashes = [outcome for outcome in outcomes if outcome[0] == "crash"]
    assert crashes == []
    return outcomes


def _codes(outcomes):
    return sorted(outcome[1] for outcome in outcomes if outcome[0] == "error")


def _oks(outcomes):
    return [outcome[1] for outcome in outcomes if outcome[0] == "ok"]


def _slot_members(team):
    return (
        Membership.objects.filter(team=team, status="active")
        .exclude(role="coach")
        .count()
    )


def test_last_slot_twenty_invites(postgres_only):
    team, _ = team_with_roster(roles=("captain",))
    fill_roster(team, free_slots=1)
    users = [UserFactory() for _ in range(20)]
    invites = [InviteFactory(team=team, profile=user.profile) for user in users]

    outcomes = _race(
        [
            lambda invite=invite, user=user: services.invite_accept(
                invite.pk, user=user
            )
            for invite, user in zip(invites, users, strict=True)
        ]
    )

    assert len(_oks(outcomes)) == 1
    assert _codes(outcomes) == ["roster_full"] * 19
    assert _slot_members(team) == team.game.roster_limit
    assert Invite.objects.filter(status="accepted").count() == 1
    assert Invite.objects.filter(status="pending").count() == 19


def test_same_invite_ten_threads(postgres_only):
    team, _ = team_with_roster(roles=("captain",))
    user = UserFactory()
    invite = InviteFactory(team=team, profile=user.profile)

    outcomes = _race(
        [lambda: services.invite_accept(invite.pk, user=user) for _ in range(10)]
    )

    results = _oks(outcomes)
    assert len(results) == 10
    assert sorted(joined for _membership, joined in results) == [False] * 9 + [True]
    assert len({membership.pk for membership, _joined in results}) == 1
    assert Membership.objects.filter(team=team, profile=user.profile).count() == 1


def test_two_teams_same_game_at_once(postgres_only):
    first, _ = team_with_roster(roles=("captain",))
    second, _ = team_with_roster(roles=("captain",))
    user = UserFactory()
    invites = [
        InviteFactory(team=first, profile=user.profile),
        InviteFactory(team=second, profile=user.profile),
    ]

    outcomes = _race(
        [
            lambda invite=invite: services.invite_accept(invite.pk, user=user)
            for invite in invites
        ]
    )

    assert len(_oks(outcomes)) == 1
    assert _codes(outcomes) == ["already_in_game"]
    active = Membership.objects.filter(
        profile=user.profile, game=first.game, status="active"
    )
    assert active.count() == 1


def test_link_with_one_use_left(postgres_only):
    team, _ = team_with_roster(roles=("captain",))
    link, token = link_with_token(team=team, max_uses=3, use_count=2)
    users = [UserFactory() for _ in range(10)]

    outcomes = _race(
        [
            lambda user=user: services.invite_link_join(token, user=user)
            for user in users
        ]
    )

    assert len(_oks(outcomes)) == 1
    assert _codes(outcomes) == ["link_used_up"] * 9
    link.refresh_from_db()
    assert link.use_count == 3
    assert link.status == InviteLink.Status.USED_UP
    assert InviteLinkUse.objects.filter(link=link).count() == 1
    assert Membership.objects.filter(team=team, role="player").count() == 1


def test_approve_races_accept_for_last_slot(postgres_only):
    team, members = team_with_roster(roles=("captain",))
    captain = members[0].profile.user
    fill_roster(team, free_slots=1)
    invitee, requester = UserFactory(), UserFactory()
    invite = InviteFactory(team=team, profile=invitee.profile)
    request = JoinRequestFactory(team=team, profile=requester.profile)

    outcomes = _race(
        [
            lambda: services.invite_accept(invite.pk, user=invitee),
            lambda: services.join_request_approve(team, request.pk, actor=captain),
        ]
    )

    assert len(_oks(outcomes)) == 1
    assert _codes(outcomes) == ["roster_full"]
    assert _slot_members(team) == team.game.roster_limit
    joined = Membership.objects.filter(
        team=team, profile__in=[invitee.profile, requester.profile]
    )
    assert joined.count() == 1
