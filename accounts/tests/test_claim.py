import pytest
from django.urls import reverse

from accounts.admin import MSG_ACCOUNT_NOT_FOUND
from accounts.models import GameAccount, Profile
from accounts.services import MSG_ALREADY_CLAIMED, MSG_HAS_HISTORY, profile_claim
from accounts.tests.factories import (
    GameAccountFactory,
    UnclaimedProfileFactory,
    UserFactory,
)
from core.errors import Conflict
from games.models import Game
from teams.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _change_url(profile):
    return reverse("admin:accounts_profile_change", args=[profile.pk])


def _admin_form_data(profile, **fields):
    data = {
        "handle": profile.handle,
        "display_name": profile.display_name,
        "country": "",
        "bio": profile.bio,
        "game_accounts-TOTAL_FORMS": "0",
        "game_accounts-INITIAL_FORMS": "0",
        "game_accounts-MIN_NUM_FORMS": "0",
        "game_accounts-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


def test_claim_hands_profile_to_account():
    imported = UnclaimedProfileFactory(handle="s1mple_vrs", display_name="")
    GameAccountFactory(profile=imported, game=Game.objects.get(slug="cs2"))
    user = UserFactory(username="alex")
    own = user.profile
    Profile.objects.filter(pk=own.pk).update(country="UA", bio="Own bio")
    GameAccountFactory(profile=own, game=Game.objects.get(slug="valorant"))

    claimed = profile_claim(imported, user)

    assert claimed.pk == imported.pk
    assert claimed.user == user
    assert claimed.handle == "alex"
    assert claimed.display_name == "s1mple_vrs"
    assert claimed.country.code == "UA"
    assert claimed.bio == "Own bio"
    assert not Profile.objects.filter(pk=own.pk).exists()
    games = GameAccount.objects.filter(profile=claimed).values_list(
        "game__slug", flat=True
    )
    assert sorted(games) == ["cs2", "valorant"]


def test_claim_keeps_imported_game_account():
    imported = UnclaimedProfileFactory(handle="vrs_player")
    GameAccountFactory(profile=imported, account_id="IMPORTED")
    user = UserFactory()
    GameAccountFactory(profile=user.profile, account_id="OWN")

    claimed = profile_claim(imported, user)

    accounts = GameAccount.objects.filter(profile=claimed)
    assert [account.account_id for account in accounts] == ["IMPORTED"]


def test_claim_rejects_claimed_profile():
    owner = UserFactory(username="owner")
    taker = UserFactory(username="taker")

    with pytest.raises(Conflict) as caught:
        profile_claim(owner.profile, taker)

    assert caught.value.status == 409
    assert caught.value.message == MSG_ALREADY_CLAIMED.format(handle="owner")
    assert Profile.objects.get(user=owner).handle == "owner"
    assert Profile.objects.filter(user=taker).exists()


def test_claim_rejects_account_with_history():
    imported = UnclaimedProfileFactory(handle="vrs_player")
    user = UserFactory(username="veteran")
    MembershipFactory(profile=user.profile)

    with pytest.raises(Conflict) as caught:
        profile_claim(imported, user)

    assert caught.value.status == 409
    prefix, _history, _rest = MSG_HAS_HISTORY.partition("{relation}")
    assert caught.value.message.startswith(prefix.format(username="veteran"))
    assert "memberships" in caught.value.message
    imported.refresh_from_db()
    assert imported.user is None
    assert Profile.objects.filter(user=user).exists()


def test_admin_hands_profile_to_account(client, staff_user):
    imported = UnclaimedProfileFactory(handle="vrs_player")
    user = UserFactory(username="alex", email="alex@example.com")
    client.force_login(staff_user)

    response = client.post(
        _change_url(imported), _admin_form_data(imported, hand_to="ALEX@example.com")
    )

    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.user == user
    assert imported.handle == "alex"


def test_admin_hand_to_rejects_history(client, staff_user):
    imported = UnclaimedProfileFactory(handle="vrs_player")
    user = UserFactory(username="veteran")
    MembershipFactory(profile=user.profile)
    client.force_login(staff_user)

    response = client.post(
        _change_url(imported), _admin_form_data(imported, hand_to="veteran")
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["hand_to"]
    assert len(errors) == 1
    assert "memberships" in errors[0]
    imported.refresh_from_db()
    assert imported.user is None


def test_admin_hand_to_unknown_account(client, staff_user):
    imported = UnclaimedProfileFactory(handle="vrs_player")
    client.force_login(staff_user)

    response = client.post(
        _change_url(imported), _admin_form_data(imported, hand_to="ghost")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["hand_to"] == [
        MSG_ACCOUNT_NOT_FOUND.format(value="ghost")
    ]


def test_admin_hand_to_hidden_for_claimed_profile(client, staff_user, user):
    client.force_login(staff_user)

    response = client.get(_change_url(user.profile))

    assert response.status_code == 200
    assert b'name="hand_to"' not in response.content
    assert b'name="handle"' not in response.content
