"""Admin pages for roster locks, roster events and notifications."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from roster import services
from roster.models import RosterEvent

CHANGELISTS = [
    "admin:roster_lockableteam_changelist",
    "admin:roster_rosterlock_changelist",
    "admin:roster_rosterevent_changelist",
    "admin:notifications_notification_changelist",
]


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelist_renders(client, roster, staff_user, name):
    services.roster_lock(roster.team, actor=staff_user, reason="Cup")
    client.force_login(staff_user)
    response = client.get(reverse(name))
    assert response.status_code == 200


def test_lockable_team_view_page(client, roster, staff_user):
    client.force_login(staff_user)
    url = reverse("admin:roster_lockableteam_change", args=[roster.team.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()


def test_event_admin_read_only(client, roster, staff_user):
    services.roster_lock(roster.team, actor=staff_user)
    event = RosterEvent.objects.get()
    client.force_login(staff_user)

    change = client.get(reverse("admin:roster_rosterevent_change", args=[event.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    delete = client.get(reverse("admin:roster_rosterevent_delete", args=[event.pk]))
    assert delete.status_code == 403
    add = client.get(reverse("admin:roster_rosterevent_add"))
    assert add.status_code == 403
    changelist = client.get(reverse("admin:roster_rosterevent_changelist"))
    assert "delete_selected" not in changelist.content.decode()


def test_notification_admin_read_only(client, roster, staff_user):
    services.roster_lock(roster.team, actor=staff_user)
    note = Notification.objects.first()
    client.force_login(staff_user)
    change = client.get(
        reverse("admin:notifications_notification_change", args=[note.pk])
    )
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
