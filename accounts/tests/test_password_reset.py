import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory

RESET_URL = reverse("account_reset_password")
RESET_LINK = re.compile(r"http://testserver(/accounts/password/reset/key/[^/\s]+/)")
CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
NEW_PASSWORD = "a-brand-new-passphrase-77"
START = dt.datetime(2030, 3, 1, 12, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def _request_reset(client, email):
    return client.post(RESET_URL, {"email": email})


def _reset_path():
    assert len(mail.outbox) == 1
    match = RESET_LINK.search(mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def _open_link(client, path):
    """Open the emailed link; allauth moves the key into the session first."""
    return client.get(path, follow=True)


def _set_password(client, path):
    page = _open_link(client, path)
    return client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else path,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def _without_csrf(content):
    return CSRF_TOKEN.sub(b"", content)


def test_reset_sets_new_password(client):
    user = UserFactory(email="ace@example.com")
    _request_reset(client, "ace@example.com")

    response = _set_password(client, _reset_path())

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)


def test_reset_link_single_use(client):
    user = UserFactory(email="ace@example.com")
    _request_reset(client, "ace@example.com")
    path = _reset_path()
    _set_password(client, path)
    client.logout()

    reused = _open_link(client, path)

    assert reused.status_code == 200
    assert reused.context["token_fail"] is True
    second = client.post(
        reused.redirect_chain[-1][0] if reused.redirect_chain else path,
        {"password1": "yet-another-passphrase-9", "password2": "yet-another-pass-9"},
    )
    assert second.status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_reset_link_valid_within_hour(client):
    user = UserFactory(email="ace@example.com")
    with time_machine.travel(START, tick=False):
        _request_reset(client, "ace@example.com")
    path = _reset_path()

    with time_machine.travel(START + dt.timedelta(minutes=59), tick=False):
        page = _open_link(client, path)
        assert not page.context.get("token_fail", False)
        assert "password1" in page.context["form"].fields
        _set_password(client, path)

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_reset_link_expires_after_hour(client):
    user = UserFactory(email="ace@example.com")
    with time_machine.travel(START, tick=False):
        _request_reset(client, "ace@example.com")
    path = _reset_path()

    with time_machine.travel(START + dt.timedelta(hours=1, seconds=1), tick=False):
        page = _open_link(client, path)
        response = _set_password(client, path)

    assert page.context["token_fail"] is True
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_reset_response_same_for_unknown_email(client):
    UserFactory(email="ace@example.com")

    known = _request_reset(client, "ace@example.com")
    unknown = _request_reset(client, "nobody@example.com")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    known_page = client.get(known["Location"])
    unknown_page = client.get(unknown["Location"])
    assert known_page.status_code == unknown_page.status_code == 200
    assert [t.name for t in known_page.templates] == [
        t.name for t in unknown_page.templates
    ]
    assert _without_csrf(known_page.content) == _without_csrf(unknown_page.content)


def test_reset_sends_no_link_to_unknown_email(client):
    _request_reset(client, "nobody@example.com")

    assert len(mail.outbox) <= 1
    for message in mail.outbox:
        assert not RESET_LINK.search(message.body)
