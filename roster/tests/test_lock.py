"""Staff roster locks: every change is rejected while a lock is active."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.errors import Conflict, DomainError, PermissionDenied
from roster import services
from roster.models import RosterEvent, RosterLock
from roster.selectors import lock_until_text
from teams.models import Membership

START = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
UNTIL = START + timedelta(hours=2)


def _url(name, roster):
    return reverse(f"roster:{name}", kwargs={"slug": roster.team.slug})


def _post_actions(client, roster):
    """Post one of each roster change; return {action: response}."""
    responses = {}
    client.force_login(roster.user("co_captain"))
    responses["change_role"] = client.post(
        _url("role", roster), {"membership": roster.target.pk, "role": "substitute"}
    )
    responses["remove"] = client.post(
        _url("remove", roster), {"membership": roster.player.pk}
    )
    responses["leave"] = client.post(_url("leave", roster))
    client.force_login(roster.user("captain"))
    responses["transfer"] = client.post(
        _url("transfer", roster), {"membership": roster.target.pk}
    )
    return responses


def _join(roster):
    return services.membership_join(
        roster.team, UserFactory().profile, role="player", via="invite"
    )


@pytest.fixture
def locked(roster, staff_user):
    with time_machine.travel(START, tick=False):
        services.roster_lock(
            roster.team, actor=staff_user, until=UNTIL, reason="Spring finals"
        )
    return roster


def test_lock_rejects_every_action(client, locked):
    before = dict(Membership.objects.filter(team=locked.team).values_list("pk", "role"))
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        responses = _post_actions(client, locked)
        with pytest.raises(Conflict) as join_error:
            _join(locked)

    until = lock_until_text(UNTIL)
    assert until == "2030-05-01 14:00 UTC"
    expected = services.MSG_ROSTER_LOCKED_UNTIL.format(
        until=until, reason=" (Spring finals)"
    )
    for action, response in responses.items():
        assert response.status_code == 409, action
        assert until in response.content.decode(), action
    assert join_error.value.message == expected
    assert join_error.value.code == "roster_locked"
    after = dict(Membership.objects.filter(team=locked.team).values_list("pk", "role"))
    assert after == before
    assert not Membership.objects.filter(team=locked.team, status="ended").exists()


def test_lock_without_end_names_unlock(roster, staff_user):
    services.roster_lock(roster.team, actor=staff_user)
    with pytest.raises(Conflict) as error:
        _join(roster)
    assert error.value.message == services.MSG_ROSTER_LOCKED.format(reason="")


def test_unlock_allows_actions(client, locked, staff_user):
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        assert services.roster_unlock(locked.team, actor=staff_user) is True
        responses = _post_actions(client, locked)
        joined = _join(locked)

    assert {action: r.status_code for action, r in responses.items()} == {
        "change_role": 302,
        "remove": 302,
        "leave": 302,
        "transfer": 302,
    }
    assert joined.status == "active"
    assert not RosterLock.objects.filter(team=locked.team).exists()


def test_lock_expires_at_until(client, locked):
    with time_machine.travel(UNTIL + timedelta(seconds=1), tick=False):
        responses = _post_actions(client, locked)
        joined = _join(locked)

    for action, response in responses.items():
        assert response.status_code == 302, action
    assert joined.status == "active"


def test_lock_until_in_past_rejected(roster, staff_user):
    with pytest.raises(DomainError) as error:
        services.roster_lock(
            roster.team,
            actor=staff_user,
            until=timezone.now() - timedelta(minutes=1),
        )
    assert error.value.message == services.MSG_LOCK_UNTIL_PAST


def test_lock_requires_staff(roster):
    with pytest.raises(PermissionDenied):
        services.roster_lock(roster.team, actor=roster.user("captain"))


def test_lock_page_shows_banner(client, locked):
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        client.force_login(locked.user("player"))
        response = client.get(_url("page", locked))
    assert response.status_code == 200
    assert "until 2030-05-01 14:00 UTC" in response.content.decode()


def test_lock_and_unlock_recorded(locked, staff_user):
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        services.roster_unlock(locked.team, actor=staff_user)

    kinds = list(
        RosterEvent.objects.filter(team=locked.team)
        .order_by("created_at", "id")
        .values_list("kind", "actor")
    )
    assert kinds == [("locked", staff_user.pk), ("unlocked", staff_user.pk)]


def test_unlock_expired_lock_records_nothing(locked, staff_user):
    with time_machine.travel(UNTIL + timedelta(hours=1), tick=False):
        assert services.roster_unlock(locked.team, actor=staff_user) is False
    assert not RosterEvent.objects.filter(team=locked.team, kind="unlocked").exists()
    assert not RosterLock.objects.filter(team=locked.team).exists()


def test_admin_lock_form_and_unlock(client, roster, staff_user):
    client.force_login(staff_user)
    changelist = reverse("admin:roster_lockableteam_changelist")
    selected = {"_selected_action": [roster.team.pk]}

    form_page = client.post(
        changelist, {**selected, "action": "lock_rosters", "index": "0"}
    )
    assert form_page.status_code == 200
    assert 'name="until"' in form_page.content.decode()

    locked = client.post(
        changelist,
        {
            **selected,
            "action": "lock_rosters",
            "apply": "1",
            "until": "2099-01-01T18:30",
            "reason": "League",
        },
    )
    assert locked.status_code == 302
    lock = RosterLock.objects.get(team=roster.team)
    assert lock_until_text(lock.until) == "2099-01-01 18:30 UTC"
    assert lock.reason == "League"

    listing = client.get(changelist)
    assert "Locked until 2099-01-01 18:30 UTC" in listing.content.decode()

    unlocked = client.post(
        changelist, {**selected, "action": "unlock_rosters", "index": "0"}
    )
    assert unlocked.status_code == 302
    assert not RosterLock.objects.filter(team=roster.team).exists()


def test_lock_page_hides_forms(client, locked):
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        client.force_login(locked.user("captain"))
        page = client.get(_url("page", locked)).content.decode()
    assert "Change role" not in page
    assert "Leave team" not in page
