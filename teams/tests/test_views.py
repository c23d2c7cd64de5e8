import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.tests.factories import GameAccountFactory, UserFactory
from core import images
from games.models import Game, Region
from teams import services
from teams.models import Membership, Team
from teams.permissions import MSG_DENIED
from teams.selectors import SEARCH_PAGE_SIZE
from teams.tests.factories import TeamFactory, team_with_roster
from teams.views import MSG_TEAM_NOT_FOUND

CYRILLIC_E = "\u0415"


def _detail_url(team_or_slug):
    slug = getattr(team_or_slug, "slug", team_or_slug)
    return reverse("teams:detail", kwargs={"slug": slug})


def _edit_url(team):
    return reverse("teams:edit", kwargs={"slug": team.slug})


def _png(name="logo.png", size=(64, 64)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (250, 180, 60)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _form_data(**overrides):
    data = {
        "game": "cs2",
        "name": "Astral Vipers",
        "tag": "AV",
        "region": "europe",
        "country": "FI",
        "description": "We *play* a lot.",
        "privacy": "public",
        "recruiting_message": "",
    }
    data.update(overrides)
    return data


# Hub


@pytest.mark.django_db
def test_hub_lists_top_teams(client):
    strong = TeamFactory(name="Strong Team", total_points=900)
    weak = TeamFactory(name="Weak Team", total_points=10)
    response = client.get(reverse("teams:hub"))
    assert response.status_code == 200
    top = response.context["hub"].top_by_game
    assert [entry.game.slug for entry in top] == ["cs2"]
    assert top[0].teams == [strong, weak]
    assert [team.position for team in top[0].teams] == [1, 2]


@pytest.mark.django_db
def test_hub_top_five_per_game(client):
    for points in range(8):
        TeamFactory(total_points=points * 10)
    TeamFactory(game=Game.objects.get(slug="lol"), total_points=5)
    top = client.get(reverse("teams:hub")).context["hub"].top_by_game
    assert [len(entry.teams) for entry in top] == [5, 1]
    assert [team.total_points for team in top[0].teams] == [70, 60, 50, 40, 30]


@pytest.mark.django_db
def test_hub_ties_break_by_name(client):
    TeamFactory(name="Zulu", total_points=100)
    TeamFactory(name="alpha", total_points=100)
    top = client.get(reverse("teams:hub")).context["hub"].top_by_game
    assert [team.name for team in top[0].teams] == ["alpha", "Zulu"]


@pytest.mark.django_db
def test_hub_hides_private_and_disbanded(client, crew):
    TeamFactory(name="Hidden Team", privacy=Team.Privacy.PRIVATE, is_recruiting=True)
    gone = TeamFactory(name="Gone Team", is_recruiting=True)
    services.team_disband(gone)
    response = client.get(reverse("teams:hub"))
    hub = response.context["hub"]
    listed = {team.name for entry in hub.top_by_game for team in entry.teams}
    listed |= {team.name for team in hub.recruiting + hub.newest}
    assert listed == {"Kraków Knights"}
    assert "Hidden Team" not in response.content.decode()


@pytest.mark.django_db
def test_hub_recruiting_section(client):
    TeamFactory(name="Open Team", is_recruiting=True, recruiting_message="Need AWP")
    response = client.get(reverse("teams:hub"))
    assert [team.name for team in response.context["hub"].recruiting] == ["Open Team"]
    assert "Need AWP" in response.content.decode()


def test_root_redirects_to_hub(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("teams:hub")


# Team page


@pytest.mark.django_db
def test_team_page_roster(client, crew):
    captain_profile = crew.members[0].profile
    GameAccountFactory(
        profile=captain_profile, account_id="STEAM_0:1:4242", in_game_name="kr_cap"
    )
    GameAccountFactory(
        profile=captain_profile,
        game=Game.objects.get(slug="valorant"),
        account_id="cap#EUW",
        in_game_name="wrong_game",
    )
    response = client.get(_detail_url(crew.team))
    assert response.status_code == 200
    page = response.content.decode()
    members = response.context["detail"].members
    assert [member.role for member in members] == [
        "captain", "co_captain", "player", "substitute", "coach",
    ]  # fmt: skip
    assert members[0].game_account_name == "kr_cap"
    assert members[1].game_account_name is None
    assert "STEAM_0:1:4242" in page
    assert "wrong_game" not in page
    assert "Co-captain" in page
    assert crew.members[0].joined_at.strftime("%Y") in page


@pytest.mark.django_db
def test_team_page_description_sanitized(client, crew):
    crew.team.description = (
        "**bold** <script>alert(1)</script> [x](javascript:alert(1))"
    )
    crew.team.save()
    page = client.get(_detail_url(crew.team)).content.decode()
    assert "<strong>bold</strong>" in page
    assert "<script>alert(1)" not in page
    assert 'href="javascript' not in page


@pytest.mark.django_db
def test_unknown_team_404(client):
    response = client.get(_detail_url("no-such-team"))
    assert response.status_code == 404
    assert MSG_TEAM_NOT_FOUND in response.content.decode()


@pytest.mark.django_db
def test_old_slug_redirects_permanently(client, crew):
    old_url = _detail_url(crew.team)
    services.team_update(crew.team, name="Warsaw Wolves")
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/teams/warsaw-wolves/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_old_slug_after_two_renames(client, crew):
    services.team_update(crew.team, name="Warsaw Wolves")
    services.team_update(crew.team, name="Gdańsk Gulls", cooldown=False)
    for slug in ("krakow-knights", "warsaw-wolves"):
        response = client.get(_detail_url(slug))
        assert response.status_code == 301
        assert response["Location"] == "/teams/gdansk-gulls/"


@pytest.mark.django_db
def test_old_slug_edit_redirects(client, crew):
    old_edit = _edit_url(crew.team)
    services.team_update(crew.team, name="Warsaw Wolves")
    client.force_login(crew.captain)
    response = client.get(old_edit)
    assert response.status_code == 301
    assert response["Location"] == "/teams/warsaw-wolves/edit/"


@pytest.mark.django_db
def test_disbanded_team_page(client, crew):
    services.team_disband(crew.team)
    response = client.get(_detail_url(crew.team))
    assert response.status_code == 200
    assert "Disbanded" in response.content.decode()
    assert response.context["detail"].members == []


# Private teams


@pytest.fixture
def private_crew(crew):
    crew.team.privacy = Team.Privacy.PRIVATE
    crew.team.description = "Secret strategy notes"
    crew.team.save()
    return crew


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["captain", "player", "coach"])
def test_private_team_members_see_all(client, private_crew, role):
    client.force_login(getattr(private_crew, role))
    response = client.get(_detail_url(private_crew.team))
    page = response.content.decode()
    assert response.context["detail"].can_view_full
    assert "Secret strategy notes" in page
    assert len(response.context["detail"].members) == 5


@pytest.mark.django_db
def test_private_team_stranger_sees_card(client, private_crew, outsider):
    client.force_login(outsider)
    response = client.get(_detail_url(private_crew.team))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kraków Knights" in page
    assert "KRK" in page
    assert "This team is private" in page
    assert "Secret strategy notes" not in page
    assert response.context["detail"].members == []
    for member in private_crew.members:
        assert f"@{member.profile.handle}<" not in page


@pytest.mark.django_db
def test_private_team_anonymous_sees_card(client, private_crew):
    response = client.get(_detail_url(private_crew.team))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kraków Knights" in page
    assert "Secret strategy notes" not in page
    assert "Counter-Strike 2" not in page.split("<main")[1]
    assert "Sign in" in page


@pytest.mark.django_db
def test_private_team_staff_sees_all(client, private_crew, staff_user):
    client.force_login(staff_user)
    response = client.get(_detail_url(private_crew.team))
    assert "Secret strategy notes" in response.content.decode()
    assert len(response.context["detail"].members) == 5


@pytest.mark.django_db
def test_former_member_loses_access(client, private_crew):
    membership = private_crew.members[2]
    services.team_disband(private_crew.team)
    client.force_login(membership.profile.user)
    response = client.get(_detail_url(private_crew.team))
    assert "Secret strategy notes" not in response.content.decode()


# Search


@pytest.mark.django_db
def test_search_name_case_insensitive(client, crew):
    TeamFactory(name="Other Team")
    response = client.get(reverse("teams:search"), {"q": "kraków"})
    assert [team.name for team in response.context["page"]] == ["Kraków Knights"]


@pytest.mark.django_db
def test_search_by_tag(client, crew):
    response = client.get(reverse("teams:search"), {"q": "krk"})
    assert [team.name for team in response.context["page"]] == ["Kraków Knights"]


@pytest.mark.django_db
def test_search_finds_lookalikes(client):
    TeamFactory(name=f"{CYRILLIC_E}NCE")
    response = client.get(reverse("teams:search"), {"q": "ence"})
    assert len(response.context["page"].object_list) == 1


@pytest.mark.django_db
def test_search_filters(client):
    europe = Region.objects.get(slug="europe")
    asia = Region.objects.get(slug="asia")
    lol = Game.objects.get(slug="lol")
    TeamFactory(name="Euro CS", region=europe, is_recruiting=True)
    TeamFactory(name="Asia CS", region=asia)
    TeamFactory(name="Euro LoL", region=europe, game=lol, is_recruiting=True)
    cases = [
        ({"game": "cs2"}, ["Asia CS", "Euro CS"]),
        ({"region": "europe"}, ["Euro CS", "Euro LoL"]),
        ({"recruiting": "on"}, ["Euro CS", "Euro LoL"]),
        ({"game": "lol", "region": "europe", "recruiting": "on"}, ["Euro LoL"]),
        ({"q": "euro", "game": "cs2"}, ["Euro CS"]),
    ]
    for params, expected in cases:
        response = client.get(reverse("teams:search"), {**params, "sort": "name"})
        names = [team.name for team in response.context["page"]]
        assert names == expected, params


@pytest.mark.django_db
def test_search_private_teams(client):
    TeamFactory(name="Hidden Wolves", privacy=Team.Privacy.PRIVATE, is_recruiting=True)
    by_name = client.get(reverse("teams:search"), {"q": "hidden"})
    assert len(by_name.context["page"].object_list) == 1
    assert "Private" in by_name.content.decode()
    by_filter = client.get(reverse("teams:search"), {"q": "hidden", "recruiting": "on"})
    assert len(by_filter.context["page"].object_list) == 0


@pytest.mark.django_db
def test_search_paginates(client):
    TeamFactory.create_batch(SEARCH_PAGE_SIZE + 3)
    first = client.get(reverse("teams:search"))
    second = client.get(reverse("teams:search"), {"page": 2})
    assert len(first.context["page"].object_list) == SEARCH_PAGE_SIZE
    assert len(second.context["page"].object_list) == 3
    assert 'rel="next"' in first.content.decode()


@pytest.mark.django_db
def test_search_bad_filter_400(client):
    response = client.get(reverse("teams:search"), {"game": "chess"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.django_db
def test_search_skips_disbanded(client, crew):
    services.team_disband(crew.team)
    response = client.get(reverse("teams:search"), {"q": "krak"})
    assert len(response.context["page"].object_list) == 0


# Create


@pytest.mark.django_db
def test_create_anonymous_redirects(client):
    response = client.get(reverse("teams:create"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_create_unverified_403(client):
    client.force_login(UserFactory(verified=False))
    for response in (
        client.get(reverse("teams:create")),
        client.post(reverse("teams:create"), _form_data()),
    ):
        assert response.status_code == 403
        assert MSG_DENIED["create_team"] in response.content.decode()
    assert not Team.objects.exists()


@pytest.mark.django_db
def test_create_makes_captain(client, user):
    client.force_login(user)
    assert client.get(reverse("teams:create")).status_code == 200
    response = client.post(reverse("teams:create"), _form_data())
    team = Team.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail_url(team)
    assert team.region.slug == "europe"
    assert team.country.code == "FI"
    assert team.created_by == user
    membership = Membership.objects.get(team=team)
    assert membership.profile == user.profile
    assert membership.role == "captain"


@pytest.mark.django_db
def test_create_ignores_server_fields(client, user):
    other = UserFactory()
    client.force_login(user)
    client.post(
        reverse("teams:create"),
        _form_data(
            id=999, created_by=other.pk, total_points=5000, is_verified="on", slug="hub"
        ),
    )
    team = Team.objects.get()
    assert team.pk != 999
    assert team.created_by == user
    assert team.total_points == 0
    assert not team.is_verified
    assert team.slug == "astral-vipers"


@pytest.mark.django_db
def test_create_lookalike_name_409(client, user):
    TeamFactory(name="ENCE")
    client.force_login(user)
    response = client.post(reverse("teams:create"), _form_data(name=f"{CYRILLIC_E}NCE"))
    assert response.status_code == 409
    assert response.context["form"].errors["name"] == [
        services.MSG_NAME_TAKEN.format(game="Counter-Strike 2", name=f"{CYRILLIC_E}NCE")
    ]


@pytest.mark.django_db
def test_create_second_team_same_game(client, crew):
    client.force_login(crew.player)
    response = client.post(reverse("teams:create"), _form_data())
    assert response.status_code == 409
    assert response.context["form"].errors["game"] == [
        services.MSG_ALREADY_IN_GAME.format(
            game="Counter-Strike 2", team="Kraków Knights"
        )
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tag", "X"),
        ("website_url", "javascript:alert(1)"),
        ("twitter_url", "ftp://example.com/x"),
        ("name", ""),
        ("game", "chess"),
    ],
)
def test_create_invalid_input_400(client, user, field, value):
    client.force_login(user)
    response = client.post(reverse("teams:create"), _form_data(**{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Team.objects.exists()


@pytest.mark.django_db
def test_create_with_logo(client, user):
    client.force_login(user)
    response = client.post(
        reverse("teams:create"), {**_form_data(), "logo": _png(), "banner": _png()}
    )
    assert response.status_code == 302
    team = Team.objects.get()
    assert team.logo.name.startswith("teams/logos/")
    assert team.logo.name.endswith(".png")
    assert "logo" not in team.logo.name.split("/")[-1]
    with Image.open(team.logo) as stored:
        assert stored.size == (64, 64)
    assert team.banner.name.startswith("teams/banners/")


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("logo.svg", SVG, "image/svg+xml"), images.MSG_SVG),
        (
            SimpleUploadedFile("logo.png", b"hello " * 50, "image/png"),
            images.MSG_NOT_IMAGE,
        ),
        (
            SimpleUploadedFile(
                "logo.png", b"\x89PNG" + b"\0" * (6 * 2**20), "image/png"
            ),
            images.MSG_TOO_LARGE.format(size=(6 * 2**20 + 4) / 2**20, limit=5),
        ),
    ],
    ids=["svg", "text", "six-megabytes"],
)
def test_create_rejects_bad_logo(client, user, upload, message):
    client.force_login(user)
    response = client.post(reverse("teams:create"), {**_form_data(), "logo": upload})
    assert response.status_code == 400
    assert response.context["form"].errors["logo"] == [message]
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Team.objects.exists()


# Edit


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["captain", "co_captain"])
def test_managers_can_edit(client, crew, role):
    client.force_login(getattr(crew, role))
    assert client.get(_edit_url(crew.team)).status_code == 200
    response = client.post(
        _edit_url(crew.team),
        {
            "name": "Kraków Knights",
            "tag": "KRK",
            "description": "Updated",
            "privacy": "public",
            "is_recruiting": "on",
            "recruiting_message": "Need a coach",
        },
    )
    assert response.status_code == 302
    crew.team.refresh_from_db()
    assert crew.team.description == "Updated"
    assert crew.team.is_recruiting


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["player", "substitute", "coach"])
def test_members_cannot_edit(client, crew, role):
    client.force_login(getattr(crew, role))
    assert client.get(_edit_url(crew.team)).status_code == 403
    response = client.post(_edit_url(crew.team), {"name": "Taken Over"})
    assert response.status_code == 403
    assert MSG_DENIED["edit_team"] in response.content.decode()
    crew.team.refresh_from_db()
    assert crew.team.name == "Kraków Knights"


@pytest.mark.django_db
def test_stranger_cannot_edit(client, crew, outsider):
    client.force_login(outsider)
    assert client.get(_edit_url(crew.team)).status_code == 403
    assert client.post(_edit_url(crew.team), {"name": "X"}).status_code == 403


@pytest.mark.django_db
def test_anonymous_edit_redirects(client, crew):
    response = client.get(_edit_url(crew.team))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_edit_rename_redirects_old(client, crew):
    client.force_login(crew.captain)
    response = client.post(
        _edit_url(crew.team), {"name": "Warsaw Wolves", "privacy": "public"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/teams/warsaw-wolves/"
    assert client.get("/teams/krakow-knights/").status_code == 301


@pytest.mark.django_db
def test_edit_keeps_logo(client, crew):
    client.force_login(crew.captain)
    client.post(_edit_url(crew.team), {"name": "Kraków Knights", "logo": _png()})
    crew.team.refresh_from_db()
    logo = crew.team.logo.name
    assert logo
    client.post(_edit_url(crew.team), {"name": "Kraków Knights", "tag": "KRK"})
    crew.team.refresh_from_db()
    assert crew.team.logo.name == logo
    client.post(_edit_url(crew.team), {"name": "Kraków Knights", "logo-clear": "on"})
    crew.team.refresh_from_db()
    assert not crew.team.logo


@pytest.mark.django_db
def test_edit_disbanded_409(client, crew):
    services.team_disband(crew.team)
    client.force_login(crew.captain)
    assert client.get(_edit_url(crew.team)).status_code == 409


# Disband


def _disband_url(team):
    return reverse("teams:disband", kwargs={"slug": team.slug})


@pytest.mark.django_db
def test_disband_needs_confirmation(client, crew):
    client.force_login(crew.captain)
    page = client.get(_disband_url(crew.team))
    assert page.status_code == 200
    assert "Disband Kraków Knights?" in page.content.decode()
    response = client.post(_disband_url(crew.team), {})
    assert response.status_code == 400
    crew.team.refresh_from_db()
    assert crew.team.is_active


@pytest.mark.django_db
def test_captain_disbands(client, crew):
    client.force_login(crew.captain)
    response = client.post(_disband_url(crew.team), {"confirm": "on"})
    assert response.status_code == 302
    crew.team.refresh_from_db()
    assert not crew.team.is_active
    assert not Membership.objects.filter(team=crew.team, status="active").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["co_captain", "player", "coach"])
def test_others_cannot_disband(client, crew, role):
    client.force_login(getattr(crew, role))
    response = client.post(_disband_url(crew.team), {"confirm": "on"})
    assert response.status_code == 403
    assert MSG_DENIED["disband_team"] in response.content.decode()
    crew.team.refresh_from_db()
    assert crew.team.is_active


@pytest.mark.django_db
def test_team_page_shows_actions(client, crew):
    client.force_login(crew.captain)
    page = client.get(_detail_url(crew.team)).content.decode()
    assert _edit_url(crew.team) in page
    assert _disband_url(crew.team) in page
    client.force_login(crew.player)
    page = client.get(_detail_url(crew.team)).content.decode()
    assert _edit_url(crew.team) not in page


@pytest.mark.django_db
def test_roster_helper_team():
    team, members = team_with_roster(roles=("captain", "player"))
    assert [member.role for member in members] == ["captain", "player"]
    assert team.memberships.count() == 2


@pytest.mark.django_db
def test_edit_without_privacy_keeps_it(client, private_crew):
    client.force_login(private_crew.captain)
    response = client.post(_edit_url(private_crew.team), {"name": "Kraków Knights"})
    assert response.status_code == 302
    private_crew.team.refresh_from_db()
    assert private_crew.team.is_private


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [({"q": "x" * 65}, "q"), ({"q": "a", "sort": "evil"}, "sort")],
)
def test_search_shows_invalid_input_errors(client, params, field):
    response = client.get("/teams/search/", params)
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert errors
    assert errors[0] in response.content.decode()
