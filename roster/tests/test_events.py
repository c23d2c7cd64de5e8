"""Roster events: one per change, append-only, and the history built on them."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts.tests.factories import UnclaimedProfileFactory, UserFactory
from roster import services
from roster.models import AppendOnlyError, RosterEvent
from roster.selectors import team_roster_history
from teams.services import team_disband

DAY_ONE = datetime(2030, 1, 10, 9, 0, tzinfo=UTC)


def _events(team):
    return list(
        RosterEvent.objects.filter(team=team)
        .order_by("created_at", "id")
        .values_list("kind", "profile", "actor", "role", "previous_role")
    )


def test_events_one_per_change(roster, staff_user):
    captain = roster.user("captain")
    co_captain = roster.user("co_captain")
    player = roster.user("player")
    newcomer = UserFactory().profile

    services.roster_change_role(
        roster.team, roster.target.pk, "substitute", actor=co_captain
    )
    services.roster_remove_member(roster.team, roster.substitute.pk, actor=captain)
    services.roster_leave(roster.team, actor=player)
    services.roster_transfer_captaincy(roster.team, roster.co_captain.pk, actor=captain)
    services.membership_join(roster.team, newcomer, role="coach", actor=co_captain)
    services.roster_lock(roster.team, actor=staff_user)
    services.roster_unlock(roster.team, actor=staff_user)

    target = roster.target.profile_id
    substitute = roster.substitute.profile_id
    new_captain = roster.co_captain.profile_id
    assert _events(roster.team) == [
        ("role_changed", target, co_captain.pk, "substitute", "player"),
        ("removed", substitute, captain.pk, "substitute", ""),
        ("left", roster.player.profile_id, player.pk, "player", ""),
        ("captain_transferred", new_captain, captain.pk, "captain", "co_captain"),
        ("joined", newcomer.pk, co_captain.pk, "coach", ""),
        ("locked", None, staff_user.pk, "", ""),
        ("unlocked", None, staff_user.pk, "", ""),
    ]


def test_events_none_for_same_role(roster):
    services.roster_change_role(
        roster.team, roster.target.pk, "player", actor=roster.user("captain")
    )
    assert _events(roster.team) == []


def test_events_none_when_rejected(roster):
    with pytest.raises(Exception):  # noqa: B017 (any rejection will do)
        services.roster_remove_member(
            roster.team, roster.captain.pk, actor=roster.user("co_captain")
        )
    assert _events(roster.team) == []


def test_disband_records_events(roster):
    captain = roster.user("captain")
    team_disband(roster.team, actor=captain)

    events = _events(roster.team)
    left = [event for event in events if event[0] == "left"]
    assert len(left) == 6
    assert {event[1] for event in left} == {
        roster.captain.profile_id, roster.co_captain.profile_id,
        roster.player.profile_id, roster.substitute.profile_id,
        roster.coach.profile_id, roster.target.profile_id,
    }  # fmt: skip
    assert all(event[2] == captain.pk for event in left)
    assert events[-1] == ("disbanded", None, captain.pk, "", "")


def test_event_update_raises(roster):
    event = services.roster_event_record(roster.team, "locked")
    event.kind = "unlocked"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        RosterEvent.objects.filter(pk=event.pk).update(kind="unlocked")
    with pytest.raises(AppendOnlyError):
        RosterEvent.objects.bulk_update([event], ["kind"])
    assert RosterEvent.objects.get(pk=event.pk).kind == "locked"


def test_event_delete_raises(roster):
    event = services.roster_event_record(roster.team, "locked")
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        RosterEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        RosterEvent.objects.all().delete()
    assert RosterEvent.objects.filter(pk=event.pk).exists()


def test_event_copy_cannot_overwrite(roster):
    from django.db import IntegrityError, transaction

    event = services.roster_event_record(roster.team, "locked")
    copy = RosterEvent(pk=event.pk, team=roster.team, kind="unlocked")
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    assert RosterEvent.objects.get(pk=event.pk).kind == "locked"


def test_event_record_rejects_unknown_kind(roster):
    with pytest.raises(ValueError):
        services.roster_event_record(roster.team, "promoted")


def test_event_record_keeps_import_time(roster):
    at = datetime(2021, 3, 4, 5, 6, tzinfo=UTC)
    event = services.roster_event_record(
        roster.team, "joined", profile=UnclaimedProfileFactory(), role="player", at=at
    )
    assert event.created_at == at


def test_history_lists_alumni_with_dates(roster, django_assert_num_queries):
    captain = roster.user("captain")
    with time_machine.travel(DAY_ONE, tick=False):
        newcomer = UserFactory().profile
        services.membership_join(roster.team, newcomer, role="substitute")
    with time_machine.travel(DAY_ONE + timedelta(days=3), tick=False):
        services.roster_remove_member(roster.team, roster.target.pk, actor=captain)
    with time_machine.travel(DAY_ONE + timedelta(days=5), tick=False):
        services.roster_leave(roster.team, actor=newcomer.user)
    # A second stint: the player leaves and comes back, so stays current.
    with time_machine.travel(DAY_ONE + timedelta(days=6), tick=False):
        services.roster_leave(roster.team, actor=roster.user("player"))
        services.membership_join(roster.team, roster.player.profile, role="player")

    # 1: the timeline events with profile and actor, 2: the alumni aggregate.
    with django_assert_num_queries(2):
        history = team_roster_history(roster.team)

    assert [alumnus.profile_id for alumnus in history.alumni] == [
        newcomer.pk,
        roster.target.profile_id,
    ]
    newest = history.alumni[0]
    assert newest.joined_at == DAY_ONE
    assert newest.left_at == DAY_ONE + timedelta(days=5)
    assert newest.role == "substitute"
    removed = history.alumni[1]
    assert removed.left_at == DAY_ONE + timedelta(days=3)
    assert removed.role_label == "Player"
    assert [event.kind for event in history.timeline] == [
        "joined", "left", "left", "removed", "joined",
    ]  # fmt: skip
    assert history.timeline[3].summary == (
        f"{roster.target.profile.name} was removed by {captain.username}."
    )


def test_history_timeline_is_limited(roster):
    for _ in range(35):
        services.roster_event_record(roster.team, "locked")
    history = team_roster_history(roster.team)
    assert len(history.timeline) == 30
