"""Notifications: the registry, creation, reading and the list page."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from notifications.models import Notification
from notifications.registry import register
from notifications.selectors import (
    MSG_BAD_CURSOR,
    PAGE_SIZE,
    notification_page,
    unread_count,
)
from notifications.services import notify
from teams.tests.factories import MembershipFactory, TeamFactory

from .conftest import TEST_KIND

LIST_URL = "/notifications/"
START = datetime(2030, 2, 1, 8, 0, tzinfo=UTC)


def _notes(user, count, *, same_time=False):
    """Create `count` notifications, one per second unless `same_time`."""
    for number in range(count):
        moment = START if same_time else START + timedelta(seconds=number)
        with time_machine.travel(moment, tick=False):
            notify([user], TEST_KIND, data={"number": number})


# ---- Registry and creation ---------------------------------------------------


def test_notify_unknown_kind_raises(user):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notify([user], "no_such_kind")
    assert not Notification.objects.exists()


def test_notify_missing_data_raises(user):
    with pytest.raises(ValueError, match="number"):
        notify([user], TEST_KIND)


def test_register_conflicting_kind_raises():
    with pytest.raises(ValueError, match="already registered"):
        register(TEST_KIND, label="Other", template="{actor}")
    # The same definition again is accepted, as ready() may run twice.
    register(TEST_KIND, label="Test note", template="Note {number} from {actor}.")


def test_notify_renders_and_dedupes(user):
    actor = UserFactory(username="caster")
    created = notify([user, user.pk], TEST_KIND, actor=actor, data={"number": 3})
    assert len(created) == 1
    note = Notification.objects.get()
    assert note.text == "Note 3 from caster."
    assert note.recipient_id == user.pk
    assert note.actor_id == actor.pk
    assert note.data == {"number": 3}


def test_notify_team_skips_actor_and_former(db):
    from notifications.services import notify_team

    team = TeamFactory()
    captain = MembershipFactory(team=team, role="captain")
    player = MembershipFactory(team=team, role="player")
    former = MembershipFactory(team=team, role="player", status="ended", ended_at=START)
    notify_team(team, TEST_KIND, actor=captain.profile.user, data={"number": 1})
    recipients = set(Notification.objects.values_list("recipient", flat=True))
    assert recipients == {player.profile.user_id}
    assert former.profile.user_id not in recipients


# ---- Reading ------------------------------------------------------------------


def test_mark_one_read(client, user):
    _notes(user, 3)
    other_user = UserFactory()
    _notes(other_user, 1)
    client.force_login(user)
    first = Notification.objects.filter(recipient=user).first()

    response = client.post(reverse("notifications:read", args=[first.pk]))

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert unread_count(user) == 2
    assert unread_count(other_user) == 1


def test_mark_read_of_other_user_404(client, user):
    other_user = UserFactory()
    _notes(other_user, 1)
    client.force_login(user)
    note = Notification.objects.get()

    response = client.post(reverse("notifications:read", args=[note.pk]))

    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_read_follows_local_next_only(client, user):
    _notes(user, 2)
    client.force_login(user)
    first, second = Notification.objects.order_by("pk")

    local = client.post(
        reverse("notifications:read", args=[first.pk]), {"next": "/teams/hub/"}
    )
    remote = client.post(
        reverse("notifications:read", args=[second.pk]),
        {"next": "https://elsewhere.example/"},
    )

    assert local["Location"] == "/teams/hub/"
    assert remote["Location"] == LIST_URL


def test_mark_all_read(client, user):
    _notes(user, 4)
    client.force_login(user)
    assert "count-badge" in client.get(LIST_URL).content.decode()

    response = client.post(reverse("notifications:read_all"))

    assert response.status_code == 302
    assert unread_count(user) == 0
    page = client.get(LIST_URL).content.decode()
    assert "count-badge" not in page


def test_header_shows_unread_count(client, user):
    _notes(user, 7)
    client.force_login(user)
    page = client.get(LIST_URL).content.decode()
    assert '<span class="count-badge" aria-label="7 unread">7</span>' in page


def test_list_requires_login(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_read_rejects_get(client, user):
    _notes(user, 1)
    client.force_login(user)
    note = Notification.objects.get()
    assert client.get(reverse("notifications:read", args=[note.pk])).status_code == 405


# ---- The list page --------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 50])
def test_list_query_budget(client, user, count):
    _notes(user, count)
    client.force_login(user)
    # 1: the session, 2: the user, 3: one page of notifications (LIMIT 21),
    # 4: the unread COUNT for the header.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert len(queries) == 4, [query["sql"] for query in queries]
    rendered_count = response.content.decode().count('class="notification-text"')
    assert rendered_count == min(count, PAGE_SIZE)


@pytest.mark.parametrize("same_time", [False, True])
def test_cursor_pages_each_once(client, user, same_time):
    _notes(user, 45, same_time=same_time)
    _notes(UserFactory(), 3)
    expected = list(
        Notification.objects.filter(recipient=user)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
    )

    seen, cursor, pages = [], None, 0
    while True:
        page = notification_page(user, cursor=cursor)
        seen.extend(note.pk for note in page.items)
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor

    assert pages == 3
    assert seen == expected
    assert len(set(seen)) == 45


def test_cursor_pages_through_view(client, user):
    _notes(user, PAGE_SIZE + 5)
    client.force_login(user)
    first = client.get(LIST_URL)
    cursor = first.context["next_cursor"]
    second = client.get(LIST_URL, {"cursor": cursor})

    assert len(first.context["notifications"]) == PAGE_SIZE
    assert len(second.context["notifications"]) == 5
    assert second.context["next_cursor"] is None
    assert "Older" in first.content.decode()
    first_ids = {note.pk for note in first.context["notifications"]}
    second_ids = {note.pk for note in second.context["notifications"]}
    assert not first_ids & second_ids


@pytest.mark.parametrize(
    "cursor",
    [
        "abc",
        "12-",
        "-5",
        "1-99999999999999999999",
        "9" * 30 + "-1",
        "9" * 5000 + "-1",  # past Python's limit on digits int() converts
        "²-1",  # superscript two: str.isdigit() accepts it, int() does not
        "1-²",
        "١-1",  # Arabic-Indic one: int() reads it as 1
        "1-١",
        "1_000-1",
    ],
)
def test_bad_cursor_400(client, user, cursor):
    client.force_login(user)
    response = client.get(LIST_URL, {"cursor": cursor})
    assert response.status_code == 400
    assert MSG_BAD_CURSOR in response.content.decode()
