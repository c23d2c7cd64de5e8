"""Roster rules: capacity, joins, transfers and leaving."""

import pytest

from accounts.tests.factories import UnclaimedProfileFactory, UserFactory
from core.errors import Conflict, DomainError, NotFound, PermissionDenied
from roster import services
from roster.models import RosterEvent
from teams.models import Membership
from teams.tests.factories import MembershipFactory, TeamFactory

from .conftest import active_roles, captain_count, make_roster


def _fill_roster(roster, slots):
    """Add players until the team has `slots` members in roster slots."""
    current = Membership.objects.filter(team=roster.team, status="active").exclude(
        role="coach"
    )
    for _ in range(slots - current.count()):
        MembershipFactory(team=roster.team, role="player")


# ---- Capacity ---------------------------------------------------------------


def test_coach_to_player_rejected_when_full(roster):
    _fill_roster(roster, 7)  # cs2: 7 players and substitutes
    with pytest.raises(Conflict) as error:
        services.roster_change_role(
            roster.team, roster.coach.pk, "player", actor=roster.user("captain")
        )
    assert error.value.code == "roster_full"
    assert error.value.message == services.MSG_ROSTER_FULL.format(count=7, limit=7)
    assert "(7 of 7 players and substitutes)" in error.value.message
    assert Membership.objects.get(pk=roster.coach.pk).role == "coach"


def test_player_to_substitute_allowed_when_full(roster):
    _fill_roster(roster, 7)
    services.roster_change_role(
        roster.team, roster.target.pk, "substitute", actor=roster.user("captain")
    )
    assert Membership.objects.get(pk=roster.target.pk).role == "substitute"


def test_coach_maximum_enforced(roster):
    MembershipFactory(team=roster.team, role="coach")  # cs2 allows 2
    with pytest.raises(Conflict) as error:
        services.roster_change_role(
            roster.team, roster.target.pk, "coach", actor=roster.user("captain")
        )
    assert error.value.message == services.MSG_COACHES_FULL.format(
        count=2, limit=2, game="Counter-Strike 2"
    )
    with pytest.raises(Conflict) as join_error:
        services.membership_join(roster.team, UserFactory().profile, role="coach")
    assert join_error.value.code == "roster_full"
    assert "2 of 2 coaches" in join_error.value.message


def test_player_to_coach_frees_slot(roster):
    _fill_roster(roster, 7)
    services.roster_change_role(
        roster.team, roster.target.pk, "coach", actor=roster.user("captain")
    )
    joined = services.membership_join(roster.team, UserFactory().profile, role="player")
    assert joined.status == "active"


def test_transfer_to_coach_rejected_when_full(roster):
    _fill_roster(roster, 7)
    with pytest.raises(Conflict) as error:
        services.roster_transfer_captaincy(
            roster.team, roster.coach.pk, actor=roster.user("captain")
        )
    assert error.value.code == "roster_full"
    assert captain_count(roster.team) == 1
    assert Membership.objects.get(pk=roster.captain.pk).role == "captain"


def test_rocketleague_limits(db):
    roster = make_roster("rocketleague")  # 4 players and substitutes, 1 coach
    with pytest.raises(Conflict) as error:
        services.membership_join(roster.team, UserFactory().profile, role="player")
    assert "(5 of 4 players and substitutes)" in error.value.message
    with pytest.raises(Conflict):
        services.membership_join(roster.team, UserFactory().profile, role="coach")


# ---- Joining ----------------------------------------------------------------


def test_join_creates_membership_and_event(roster):
    profile = UserFactory().profile
    actor = roster.user("captain")
    membership = services.membership_join(
        roster.team, profile, role="substitute", actor=actor, via="link"
    )
    assert membership.game_id == roster.team.game_id
    assert membership.role == "substitute"
    event = RosterEvent.objects.get(team=roster.team, kind="joined")
    assert event.profile_id == profile.pk
    assert event.actor_id == actor.pk
    assert event.data == {"via": "link"}


def test_join_rejects_member(roster):
    with pytest.raises(Conflict) as error:
        services.membership_join(roster.team, roster.player.profile, role="player")
    assert error.value.code == "already_member"


def test_join_rejects_other_team_same_game(roster):
    other = TeamFactory(name="Other Side")
    profile = UserFactory().profile
    MembershipFactory(team=other, profile=profile, role="player")
    with pytest.raises(Conflict) as error:
        services.membership_join(roster.team, profile, role="player")
    assert error.value.code == "already_in_game"
    assert "Other Side" in error.value.message


def test_join_other_game_allowed(roster):
    from games.models import Game

    valorant_team = TeamFactory(game=Game.objects.get(slug="valorant"))
    membership = services.membership_join(
        valorant_team, roster.player.profile, role="player"
    )
    assert membership.status == "active"


def test_join_rejects_captain_role(roster):
    with pytest.raises(DomainError) as error:
        services.membership_join(roster.team, UserFactory().profile, role="captain")
    assert error.value.message == services.MSG_ROLE_INVALID


def test_join_rejects_disbanded_team(roster):
    from teams.services import team_disband

    team_disband(roster.team, actor=roster.user("captain"))
    with pytest.raises(Conflict) as error:
        services.membership_join(roster.team, UserFactory().profile, role="player")
    assert error.value.code == "disbanded"


# ---- Role changes, removals, transfers ---------------------------------------


def test_co_captain_cannot_touch_co_captains(roster):
    second = MembershipFactory(team=roster.team, role="co_captain")
    actor = roster.user("co_captain")
    with pytest.raises(PermissionDenied):
        services.roster_remove_member(roster.team, second.pk, actor=actor)
    with pytest.raises(PermissionDenied):
        services.roster_change_role(roster.team, second.pk, "player", actor=actor)
    with pytest.raises(PermissionDenied):
        services.roster_change_role(
            roster.team, roster.target.pk, "co_captain", actor=actor
        )
    with pytest.raises(PermissionDenied):
        services.roster_remove_member(roster.team, roster.captain.pk, actor=actor)


def test_captain_role_only_by_transfer(roster):
    with pytest.raises(DomainError) as error:
        services.roster_change_role(
            roster.team, roster.target.pk, "captain", actor=roster.user("captain")
        )
    assert error.value.message == services.MSG_ROLE_INVALID
    assert captain_count(roster.team) == 1


def test_membership_of_other_team_not_found(roster):
    other = make_roster()
    with pytest.raises(NotFound):
        services.roster_remove_member(
            roster.team, other.player.pk, actor=roster.user("captain")
        )
    assert Membership.objects.get(pk=other.player.pk).status == "active"


def test_transfer_swaps_roles(roster):
    services.roster_transfer_captaincy(
        roster.team, roster.target.pk, actor=roster.user("captain")
    )
    roles = active_roles(roster.team)
    assert roles[roster.target.pk] == "captain"
    assert roles[roster.captain.pk] == "co_captain"
    assert captain_count(roster.team) == 1


def test_transfer_needs_account(roster):
    unclaimed = MembershipFactory(
        team=roster.team, profile=UnclaimedProfileFactory(), role="player"
    )
    with pytest.raises(DomainError) as error:
        services.roster_transfer_captaincy(
            roster.team, unclaimed.pk, actor=roster.user("captain")
        )
    assert error.value.code == "transfer_needs_account"


# ---- Leaving ------------------------------------------------------------------


def test_captain_must_transfer_before_leaving(roster):
    with pytest.raises(Conflict) as error:
        services.roster_leave(roster.team, actor=roster.user("captain"))
    assert error.value.message == services.MSG_CAPTAIN_MUST_TRANSFER
    assert captain_count(roster.team) == 1


def test_last_member_leaving_disbands(db):
    team = TeamFactory()
    captain = MembershipFactory(team=team, role="captain")
    result = services.roster_leave(team, actor=captain.profile.user)
    team.refresh_from_db()
    assert result.disbanded is True
    assert result.membership.status == "ended"
    assert team.disbanded_at is not None
    kinds = list(RosterEvent.objects.filter(team=team).values_list("kind", flat=True))
    assert sorted(kinds) == ["disbanded", "left"]


def test_captain_leaves_unclaimed_team(db):
    team = TeamFactory()
    captain = MembershipFactory(team=team, role="captain")
    unclaimed = MembershipFactory(
        team=team, profile=UnclaimedProfileFactory(), role="player"
    )
    result = services.roster_leave(team, actor=captain.profile.user)
    team.refresh_from_db()
    assert result.disbanded is False
    assert team.disbanded_at is None
    assert active_roles(team) == {unclaimed.pk: "player"}


def test_leave_by_non_member_denied(roster):
    with pytest.raises(PermissionDenied):
        services.roster_leave(roster.team, actor=UserFactory())
