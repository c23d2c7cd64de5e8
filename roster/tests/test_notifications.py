"""Notifications the roster sends: each once, to the right users."""

from collections import Counter

import pytest

from notifications.models import Notification
from notifications.selectors import unread_count
from roster import kinds, services
from teams.services import team_disband

MEMBER_ROLES = ("captain", "co_captain", "player", "substitute", "coach", "target")


def _recipients(kind):
    return Counter(
        Notification.objects.filter(kind=kind).values_list("recipient", flat=True)
    )


def _members_except(roster, *roles):
    return {roster.user(role).pk for role in MEMBER_ROLES if role not in roles}


def test_removed_notifies_removed_member(roster):
    actor = roster.user("co_captain")
    services.roster_remove_member(roster.team, roster.target.pk, actor=actor)
    assert _recipients(kinds.REMOVED) == {roster.user("target").pk: 1}
    note = Notification.objects.get(kind=kinds.REMOVED)
    assert note.text == f"{actor.username} removed you from {roster.team.name}."
    assert note.actor_id == actor.pk
    assert Notification.objects.count() == 1


def test_role_change_notifies_member(roster):
    actor = roster.user("captain")
    services.roster_change_role(
        roster.team, roster.target.pk, "substitute", actor=actor
    )
    assert _recipients(kinds.ROLE_CHANGED) == {roster.user("target").pk: 1}
    note = Notification.objects.get()
    assert note.text == (
        f"{actor.username} changed your role in {roster.team.name} "
        "from player to substitute."
    )
    assert note.url == f"/teams/{roster.team.slug}/roster/"


def test_transfer_notifies_team_but_actor(roster):
    actor = roster.user("captain")
    services.roster_transfer_captaincy(roster.team, roster.target.pk, actor=actor)
    expected = _members_except(roster, "captain")
    assert _recipients(kinds.CAPTAIN_TRANSFERRED) == dict.fromkeys(expected, 1)
    assert unread_count(actor) == 0
    assert unread_count(roster.user("target")) == 1


def test_disband_notifies_former_members(roster):
    actor = roster.user("captain")
    team_disband(roster.team, actor=actor)
    expected = _members_except(roster, "captain")
    assert _recipients(kinds.DISBANDED) == dict.fromkeys(expected, 1)
    note = Notification.objects.filter(kind=kinds.DISBANDED).first()
    assert note.text == f"{actor.username} disbanded {roster.team.name}."


def test_disband_by_staff_hides_name(roster, staff_user):
    team_disband(roster.team, actor=staff_user)
    assert _recipients(kinds.DISBANDED) == dict.fromkeys(_members_except(roster), 1)
    note = Notification.objects.first()
    assert note.text == f"{roster.team.name} was disbanded."


@pytest.mark.parametrize("with_end", [False, True])
def test_lock_and_unlock_notify_members(roster, staff_user, with_end):
    from datetime import timedelta

    from django.utils import timezone

    until = timezone.now() + timedelta(days=1) if with_end else None
    services.roster_lock(roster.team, actor=staff_user, until=until, reason="Cup")
    services.roster_unlock(roster.team, actor=staff_user)
    everyone = dict.fromkeys(_members_except(roster), 1)
    assert _recipients(kinds.LOCKED) == everyone
    assert _recipients(kinds.UNLOCKED) == everyone
    text = Notification.objects.filter(kind=kinds.LOCKED).first().text
    assert ("until" in text) is with_end
    assert "(Cup)" in text
    assert unread_count(roster.user("player")) == 2


def test_rejected_change_sends_nothing(roster):
    with pytest.raises(Exception):  # noqa: B017 (any rejection will do)
        services.roster_remove_member(
            roster.team, roster.captain.pk, actor=roster.user("co_captain")
        )
    assert not Notification.objects.exists()


def test_leave_sends_nothing(roster):
    services.roster_leave(roster.team, actor=roster.user("player"))
    assert not Notification.objects.exists()
