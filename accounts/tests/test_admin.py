import pytest
from django.urls import reverse

from accounts.models import MSG_EMAIL_TAKEN, User
from accounts.tests.factories import GameAccountFactory, UnclaimedProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _add_user(client, username, email):
    return client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": username,
            "email": email,
            "usable_password": "true",
            "password1": "a-long-admin-passphrase-1",
            "password2": "a-long-admin-passphrase-1",
        },
    )


@pytest.mark.parametrize(
    "url_name, query",
    [
        ("admin:accounts_user_changelist", "?q=player&is_staff__exact=1"),
        ("admin:accounts_profile_changelist", "?q=nick&user__isempty=1"),
        ("admin:accounts_gameaccount_changelist", "?q=nick&game__id__exact=1"),
    ],
)
def test_changelist_search_and_filter(admin_client, url_name, query):
    GameAccountFactory(profile=UnclaimedProfileFactory(handle="nickname"))

    response = admin_client.get(reverse(url_name) + query)

    assert response.status_code == 200
    assert "cl" in response.context


def test_profile_filter_unclaimed(admin_client, user):
    unclaimed = UnclaimedProfileFactory(handle="nickname")

    response = admin_client.get(
        reverse("admin:accounts_profile_changelist") + "?user__isempty=1"
    )

    listed = list(response.context["cl"].result_list)
    assert listed == [unclaimed]


def test_add_user_with_email(admin_client):
    response = _add_user(admin_client, "referee", "mod@example.com")

    assert response.status_code == 302
    user = User.objects.get(username="referee")
    assert user.email == "mod@example.com"
    assert user.profile.handle == "referee"


def test_add_user_duplicate_email_rejected(admin_client, user):
    response = _add_user(admin_client, "referee", user.email.upper())

    assert response.status_code == 200
    assert MSG_EMAIL_TAKEN in response.context["adminform"].form.non_field_errors()
    assert not User.objects.filter(username="referee").exists()


def test_add_user_requires_email(admin_client):
    response = _add_user(admin_client, "referee", "")

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
