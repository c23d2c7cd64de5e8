import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Profile, User
from accounts.tests.factories import PASSWORD, UnclaimedProfileFactory, UserFactory
from accounts.validators import MSG_HANDLE_CHARACTERS, MSG_HANDLE_RESERVED

pytestmark = pytest.mark.django_db


def _signup(client, username, email=None):
    return client.post(
        reverse("account_signup"),
        {
            "email": email or f"{username.lower()}@example.com",
            "username": username,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def _handle_errors(response):
    assert response.status_code == 200
    return response.context["form"].errors.get("username", [])


def test_profile_handle_case_clash_rejected():
    UserFactory(username="Ace")
    other = UserFactory(username="other")

    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.filter(user=other).update(handle="aCE")


def test_username_case_clash_rejected():
    UserFactory(username="Ace")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="ACE", email="second@example.com")


def test_unclaimed_profiles_share_handle():
    UserFactory(username="Ace")

    UnclaimedProfileFactory(handle="ace")
    UnclaimedProfileFactory(handle="ACE")

    assert Profile.objects.filter(handle__iexact="ace").count() == 3


def test_signup_rejects_taken_handle(client):
    UserFactory(username="Ace")

    response = _signup(client, "aCe")

    assert _handle_errors(response)
    assert not User.objects.filter(username="aCe").exists()


def test_signup_rejects_claimed_profile_handle(client):
    """A claimed profile's handle blocks sign-up even if no username matches."""
    owner = UserFactory(username="owner")
    Profile.objects.filter(user=owner).update(handle="legend")

    response = _signup(client, "Legend")

    assert _handle_errors(response) == ["The handle “Legend” is taken. Choose another."]


def test_signup_allowed_over_unclaimed_handle(client):
    unclaimed = UnclaimedProfileFactory(handle="s1mple")

    response = _signup(client, "S1mple")

    assert response.status_code == 302
    user = User.objects.get(username="S1mple")
    assert user.profile.pk != unclaimed.pk
    unclaimed.refresh_from_db()
    assert unclaimed.user is None


@pytest.mark.parametrize("handle", ["admin", "Staff", "DeltaCrown", "support"])
def test_signup_rejects_reserved_handle(client, handle):
    response = _signup(client, handle)

    assert _handle_errors(response) == [MSG_HANDLE_RESERVED.format(handle=handle)]
    assert not User.objects.filter(username__iexact=handle).exists()


@pytest.mark.parametrize("handle", ["two words", "at@sign", "plus+sign", "émile"])
def test_signup_rejects_handle_characters(client, handle):
    response = _signup(client, handle, email="someone@example.com")

    assert MSG_HANDLE_CHARACTERS in _handle_errors(response)


def test_signup_rejects_long_handle(client):
    response = _signup(client, "a" * 33)

    assert _handle_errors(response)
    assert not User.objects.exists()


def test_profile_model_rejects_reserved_handle():
    profile = Profile(handle="Admin")

    with pytest.raises(ValidationError) as caught:
        profile.full_clean()

    assert caught.value.message_dict["handle"] == [
        MSG_HANDLE_RESERVED.format(handle="Admin")
    ]


def test_username_rename_updates_handle():
    user = UserFactory(username="before")

    user.username = "after"
    user.save()

    assert Profile.objects.get(user=user).handle == "after"


def test_login_timestamp_keeps_handle():
    user = UserFactory(username="steady")
    Profile.objects.filter(user=user).update(handle="steady")

    user.save(update_fields=["last_login"])

    assert Profile.objects.get(user=user).handle == "steady"
