import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import Profile, User
from accounts.tests.factories import PASSWORD, UserFactory

SIGNUP_URL = reverse("account_signup")
LOGIN_URL = reverse("account_login")
CONFIRM_LINK = re.compile(r"http://testserver(/accounts/confirm-email/[^/\s]+/)")

pytestmark = pytest.mark.django_db


def _signup(client, *, email="newcomer@example.com", username="newcomer"):
    return client.post(
        SIGNUP_URL,
        {
            "email": email,
            "username": username,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def _login(client, login, password=PASSWORD):
    return client.post(LOGIN_URL, {"login": login, "password": password})


def _confirmation_path(message):
    match = CONFIRM_LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def _logged_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.mark.argon2
def test_signup_sends_verification_link(client):
    response = _signup(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(username="newcomer")
    assert user.email == "newcomer@example.com"
    assert user.password.startswith("argon2")
    assert Profile.objects.get(user=user).handle == "newcomer"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["newcomer@example.com"]
    assert mail.outbox[0].subject.startswith("[DeltaCrown Teams] ")
    assert "Hello from DeltaCrown Teams!" in mail.outbox[0].body
    assert _confirmation_path(mail.outbox[0])


def test_verification_link_logs_in(client):
    _signup(client)
    path = _confirmation_path(mail.outbox[0])

    page = client.get(path)
    assert page.status_code == 200
    assert b"newcomer@example.com" in page.content

    response = client.post(path)

    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    assert EmailAddress.objects.get(user=user).verified
    assert _logged_in_user_id(client) == str(user.pk)


def test_unverified_account_cannot_log_in(client):
    UserFactory(username="newcomer", verified=False)

    response = _login(client, "newcomer")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert _logged_in_user_id(client) is None
    # A verification link is sent instead.
    assert len(mail.outbox) == 1
    assert _confirmation_path(mail.outbox[0])


def test_signup_unverified_login_blocked(client):
    _signup(client)
    client.logout()

    response = _login(client, "newcomer@example.com")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert _logged_in_user_id(client) is None


def test_login_by_email(client):
    user = UserFactory(email="ace@example.com")

    response = _login(client, "ACE@example.com")

    assert response.status_code == 302
    assert _logged_in_user_id(client) == str(user.pk)


def test_login_by_handle(client):
    user = UserFactory(username="AceOfBase")

    response = _login(client, "aceofbase")

    assert response.status_code == 302
    assert _logged_in_user_id(client) == str(user.pk)


def test_login_wrong_password_rejected(client):
    UserFactory(username="ace")

    response = _login(client, "ace", "not-the-password")

    assert response.status_code == 200
    assert _logged_in_user_id(client) is None


def test_login_error_same_for_unknown_account(client):
    UserFactory(email="ace@example.com")

    known = _login(client, "ace@example.com", "not-the-password")
    unknown = _login(client, "nobody@example.com", "not-the-password")

    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_logout_ends_session(client, user):
    client.force_login(user)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert _logged_in_user_id(client) is None


def test_signup_existing_email_not_revealed(client):
    UserFactory(username="owner", email="taken@example.com")

    fresh = _signup(client, email="fresh@example.com", username="fresh")
    client.logout()
    existing = _signup(client, email="TAKEN@example.com", username="intruder")

    assert existing.status_code == fresh.status_code == 302
    assert existing["Location"] == fresh["Location"]
    assert not User.objects.filter(username="intruder").exists()
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    # The owner of the address gets an email about the sign-up attempt.
    assert [message.to for message in mail.outbox] == [
        ["fresh@example.com"],
        ["taken@example.com"],
    ]


def test_password_change(client, user):
    client.force_login(user)
    new_password = "another-long-passphrase-42"

    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": new_password,
            "password2": new_password,
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_allauth_pages_use_site_layout(client, user):
    anonymous_pages = [SIGNUP_URL, LOGIN_URL, reverse("account_reset_password")]
    for url in anonymous_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'class="site-header"' in response.content, url
        assert b"auth-card" in response.content, url

    client.force_login(user)
    for url in [reverse("account_change_password"), reverse("account_email")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'class="auth-tabs"' in response.content, url
