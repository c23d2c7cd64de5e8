import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from games.models import DEFAULT_MAX_ROSTER, Game, Region

pytestmark = pytest.mark.django_db

# slug, name, starters, max roster (players + subs), max coaches, positions.
EXPECTED_GAMES = [
    ("cs2", "Counter-Strike 2", 5, 7, 2, []),
    ("valorant", "Valorant", 5, 7, 2, []),
    ("dota2", "Dota 2", 5, 7, 2, ["1", "2", "3", "4", "5"]),
    ("lol", "League of Legends", 5, 7, 2,
     ["top", "jungle", "mid", "bottom", "support"]),
    ("pubgm", "PUBG Mobile", 4, 6, 2, []),
    ("freefire", "Free Fire", 4, 6, 2, []),
    ("mlbb", "Mobile Legends", 5, 7, 2, []),
    ("rocketleague", "Rocket League", 3, 4, 1, []),
    ("efootball", "eFootball", 1, 3, 1, []),
]  # fmt: skip


def test_seeded_games_are_the_catalogue():
    slugs = list(Game.objects.values_list("slug", flat=True))

    assert slugs == [row[0] for row in EXPECTED_GAMES]


@pytest.mark.parametrize(
    "slug, name, starters, max_roster, max_coaches, positions", EXPECTED_GAMES
)
def test_seeded_game_rules(slug, name, starters, max_roster, max_coaches, positions):
    game = Game.objects.get(slug=slug)

    assert game.name == name
    assert game.starters == starters
    assert game.max_roster == max_roster
    assert game.roster_limit == max_roster
    assert game.max_coaches == max_coaches
    assert game.positions == positions
    assert game.is_active


def test_seeded_regions_include_main_ones():
    slugs = set(Region.objects.values_list("slug", flat=True))

    assert {"europe", "americas", "asia"} <= slugs


def test_roster_limit_defaults_to_eight():
    game = Game(slug="chess", name="Chess", starters=1, max_roster=None)

    assert DEFAULT_MAX_ROSTER == 8
    assert game.roster_limit == 8


def test_clean_rejects_duplicate_positions():
    game = Game(slug="new", name="New", positions=["top", "mid", "top"])

    with pytest.raises(ValidationError) as caught:
        game.full_clean()

    assert caught.value.message_dict["positions"] == ["Each position may appear once."]


def test_clean_rejects_non_list_positions():
    game = Game(slug="new", name="New", positions={"top": 1})

    with pytest.raises(ValidationError) as caught:
        game.full_clean()

    assert "positions" in caught.value.message_dict


def test_clean_rejects_starters_above_roster():
    game = Game(slug="new", name="New", starters=6, max_roster=5)

    with pytest.raises(ValidationError) as caught:
        game.full_clean()

    assert "starters" in caught.value.message_dict


def test_clean_accepts_unique_positions():
    game = Game(slug="new", name="New", starters=2, positions=["left", "right"])

    game.full_clean()


def test_admin_edits_game(client, staff_user):
    client.force_login(staff_user)
    game = Game.objects.get(slug="efootball")
    url = reverse("admin:games_game_change", args=[game.pk])

    response = client.post(
        url,
        {
            "slug": "efootball",
            "name": "eFootball",
            "starters": 1,
            "max_roster": 4,
            "max_coaches": 1,
            "positions": "[]",
            "account_label": "Konami ID",
            "is_active": "on",
            "sort_order": 8,
        },
    )

    assert response.status_code == 302
    game.refresh_from_db()
    assert game.max_roster == 4


def test_admin_rejects_duplicate_positions(client, staff_user):
    client.force_login(staff_user)
    game = Game.objects.get(slug="lol")

    response = client.post(
        reverse("admin:games_game_change", args=[game.pk]),
        {
            "slug": "lol",
            "name": "League of Legends",
            "starters": 5,
            "max_roster": 7,
            "max_coaches": 2,
            "positions": '["top", "top"]',
            "account_label": "Riot ID",
            "is_active": "on",
            "sort_order": 3,
        },
    )

    assert response.status_code == 200
    game.refresh_from_db()
    assert game.positions == ["top", "jungle", "mid", "bottom", "support"]


@pytest.mark.parametrize(
    "url_name, query",
    [
        ("admin:games_game_changelist", "?q=counter&is_active__exact=1"),
        ("admin:games_region_changelist", "?q=eur"),
    ],
)
def test_admin_changelists(client, staff_user, url_name, query):
    client.force_login(staff_user)

    response = client.get(reverse(url_name) + query)

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
