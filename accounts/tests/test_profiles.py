import io
from html.parser import HTMLParser

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from accounts.models import GameAccount, Profile
from accounts.services import MSG_ACCOUNT_TAKEN
from accounts.tests.factories import (
    GameAccountFactory,
    UnclaimedProfileFactory,
    UserFactory,
)
from accounts.views import MSG_NOT_YOUR_PROFILE
from core.images import MSG_NOT_IMAGE
from games.models import Game

pytestmark = pytest.mark.django_db

HOSTILE_BIO = """\
Hello <script>alert(1)</script>

<img src=x onerror="alert(2)">

<a href="javascript:alert(3)" onclick="alert(4)">raw link</a>

[markdown link](javascript:alert(5)) and [mixed case](JaVaScRiPt:alert(6))

[encoded](&#106;avascript:alert(7)) and [site](https://example.com/team)
"""


class _Elements(HTMLParser):
    """Collect every start tag with its attributes."""

    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def _elements(html):
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def _player_url(handle):
    return reverse("accounts:player_detail", kwargs={"handle": handle})


def _edit_url(handle):
    return reverse("accounts:profile_edit", kwargs={"handle": handle})


def _png_upload(name="me.png", size=(64, 48)):
    """A real PNG with a text chunk, which re-encoding must drop."""
    image = Image.new("RGB", size, (200, 30, 30))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret-metadata")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _edit_data(**fields):
    data = {"display_name": "Ace", "country": "SE", "bio": "Entry fragger."}
    data.update(fields)
    return data


def test_player_page_shows_profile(client):
    user = UserFactory(username="ace")
    Profile.objects.filter(user=user).update(
        display_name="Ace Ventura", country="SE", bio="**Entry** fragger."
    )
    GameAccountFactory(profile=user.profile, in_game_name="ace_cs")

    response = client.get(_player_url("ACE"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Ace Ventura" in body
    assert "@ace" in body
    assert "Sweden" in body
    assert "<strong>Entry</strong> fragger." in body
    assert "ace_cs" in body
    assert "Counter-Strike 2" in body


def test_player_page_unknown_handle_404(client):
    response = client.get(_player_url("nobody"))

    assert response.status_code == 404
    assert "No player has the handle “nobody”" in response.content.decode()


def test_player_page_marks_unclaimed_profile(client):
    UnclaimedProfileFactory(handle="legend")

    response = client.get(_player_url("legend"))

    assert response.status_code == 200
    assert b"Unclaimed" in response.content


def test_player_page_prefers_claimed_profile(client):
    UnclaimedProfileFactory(handle="legend", display_name="Imported legend")
    UserFactory(username="Legend")

    response = client.get(_player_url("legend"))

    assert response.context["profile"].user is not None
    assert b"Imported legend" not in response.content


def test_bio_never_renders_active_content(client):
    user = UserFactory(username="ace")
    Profile.objects.filter(user=user).update(bio=HOSTILE_BIO)

    response = client.get(_player_url("ace"))

    assert response.status_code == 200
    elements = _elements(response.content.decode())
    tags = [tag for tag, _attrs in elements]
    assert "script" not in tags
    assert "img" not in tags
    for tag, attrs in elements:
        handlers = [name for name in attrs if name.startswith("on")]
        assert handlers == [], (tag, attrs)
        href = (attrs.get("href") or "").strip().lower()
        assert not href.startswith("javascript:"), (tag, attrs)


def test_bio_links_get_nofollow_noopener(client):
    user = UserFactory(username="ace")
    Profile.objects.filter(user=user).update(bio=HOSTILE_BIO)

    response = client.get(_player_url("ace"))

    links = [
        attrs
        for tag, attrs in _elements(response.content.decode())
        if tag == "a" and attrs.get("href") == "https://example.com/team"
    ]
    assert len(links) == 1
    assert set(links[0]["rel"].split()) == {"nofollow", "noopener"}


def test_edit_redirects_anonymous_to_login(client, user):
    url = _edit_url(user.username)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_edit_forbidden_for_other_user(client, user):
    client.force_login(UserFactory())

    get = client.get(_edit_url(user.username))
    post = client.post(_edit_url(user.username), _edit_data(display_name="Hijack"))

    assert get.status_code == 403
    assert MSG_NOT_YOUR_PROFILE in get.content.decode()
    assert post.status_code == 403
    assert Profile.objects.get(user=user).display_name != "Hijack"


def test_edit_forbidden_for_unclaimed_profile(client, user):
    UnclaimedProfileFactory(handle="legend")
    client.force_login(user)

    response = client.get(_edit_url("legend"))

    assert response.status_code == 403


def test_edit_page_renders_for_owner(client, user):
    client.force_login(user)

    response = client.get(_edit_url(user.username))

    assert response.status_code == 200
    assert b'name="account_cs2"' in response.content
    assert b'enctype="multipart/form-data"' in response.content


def test_edit_saves_fields(client, user):
    client.force_login(user)

    response = client.post(_edit_url(user.username), _edit_data())

    assert response.status_code == 302
    assert response["Location"] == _player_url(user.username)
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Ace"
    assert profile.country.code == "SE"
    assert profile.bio == "Entry fragger."


def test_edit_avatar_png_reencoded(client, user):
    client.force_login(user)
    upload = _png_upload()
    original = upload.read()
    upload.seek(0)

    response = client.post(_edit_url(user.username), _edit_data(avatar=upload))

    assert response.status_code == 302
    avatar = Profile.objects.get(user=user).avatar
    assert avatar.name.startswith("avatars/")
    assert avatar.name.endswith(".png")
    assert "me" not in avatar.name.removeprefix("avatars/")
    with default_storage.open(avatar.name) as stored_file:
        stored = stored_file.read()
    assert stored != original
    assert b"secret-metadata" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG"
        assert image.size == (64, 48)


def test_edit_avatar_rejects_fake_png(client, user):
    client.force_login(user)
    fake = SimpleUploadedFile("me.png", b"plain text, not an image" * 4)

    response = client.post(_edit_url(user.username), _edit_data(avatar=fake))

    assert response.status_code == 400
    assert response.context["form"].errors["avatar"] == [MSG_NOT_IMAGE]
    assert not Profile.objects.get(user=user).avatar


def test_edit_keeps_avatar_without_upload(client, user):
    client.force_login(user)
    client.post(_edit_url(user.username), _edit_data(avatar=_png_upload()))
    first = Profile.objects.get(user=user).avatar.name

    client.post(_edit_url(user.username), _edit_data(display_name="Renamed"))

    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Renamed"
    assert profile.avatar.name == first


def test_edit_clears_avatar(client, user, django_capture_on_commit_callbacks):
    client.force_login(user)
    client.post(_edit_url(user.username), _edit_data(avatar=_png_upload()))
    old_name = Profile.objects.get(user=user).avatar.name
    page = client.get(_edit_url(user.username))
    assert b'name="avatar-clear"' in page.content

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _edit_url(user.username), _edit_data(**{"avatar-clear": "on"})
        )

    assert response.status_code == 302
    assert not Profile.objects.get(user=user).avatar
    assert not default_storage.exists(old_name)


def test_edit_replaced_avatar_file_deleted(
    client, user, django_capture_on_commit_callbacks
):
    client.force_login(user)
    client.post(_edit_url(user.username), _edit_data(avatar=_png_upload()))
    old_name = Profile.objects.get(user=user).avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_edit_url(user.username), _edit_data(avatar=_png_upload()))

    new_name = Profile.objects.get(user=user).avatar.name
    assert new_name != old_name
    assert default_storage.exists(new_name)
    assert not default_storage.exists(old_name)


def test_edit_saves_game_accounts_per_game(client, user):
    client.force_login(user)

    response = client.post(
        _edit_url(user.username),
        _edit_data(
            account_cs2="STEAM_0:1:123",
            name_cs2="ace_cs",
            account_valorant="Ace#EUW",
        ),
    )

    assert response.status_code == 302
    accounts = {
        account.game.slug: account
        for account in GameAccount.objects.filter(profile=user.profile)
    }
    assert set(accounts) == {"cs2", "valorant"}
    assert accounts["cs2"].account_id == "STEAM_0:1:123"
    assert accounts["cs2"].in_game_name == "ace_cs"
    # Without an in-game name the account id is shown.
    assert accounts["valorant"].in_game_name == "Ace#EUW"


def test_edit_updates_and_removes_game_accounts(client, user):
    client.force_login(user)
    GameAccountFactory(profile=user.profile, game=Game.objects.get(slug="cs2"))
    GameAccountFactory(profile=user.profile, game=Game.objects.get(slug="dota2"))

    client.post(
        _edit_url(user.username),
        _edit_data(account_cs2="STEAM_0:1:999", name_cs2="renamed"),
    )

    accounts = GameAccount.objects.filter(profile=user.profile)
    assert [(a.game.slug, a.account_id, a.in_game_name) for a in accounts] == [
        ("cs2", "STEAM_0:1:999", "renamed")
    ]


def test_edit_rejects_game_name_without_account(client, user):
    client.force_login(user)

    response = client.post(_edit_url(user.username), _edit_data(name_lol="Faker"))

    assert response.status_code == 400
    errors = response.context["accounts_form"].errors
    assert errors["account_lol"] == ["Enter your Riot ID to go with the in-game name."]
    assert not GameAccount.objects.filter(profile=user.profile).exists()


def test_edit_rejects_account_of_another_player(client, user):
    cs2 = Game.objects.get(slug="cs2")
    GameAccountFactory(
        profile=UserFactory().profile, game=cs2, account_id="STEAM_0:1:7"
    )
    client.force_login(user)

    response = client.post(
        _edit_url(user.username),
        _edit_data(display_name="Changed", account_cs2="steam_0:1:7"),
    )

    assert response.status_code == 409
    errors = response.context["accounts_form"].non_field_errors()
    assert errors == [MSG_ACCOUNT_TAKEN.format(label="Steam ID", game=cs2.name)]
    assert not GameAccount.objects.filter(profile=user.profile).exists()
    user.profile.refresh_from_db()
    assert user.profile.display_name != "Changed"
