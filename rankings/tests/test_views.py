import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import GameAccountFactory, UnclaimedProfileFactory
from games.models import Game, Region
from rankings.selectors import (
    MAX_PAGE,
    MSG_INVALID_PAGE,
    MSG_PAGE_OUT_OF_RANGE,
    MSG_UNKNOWN_GAME,
    MSG_UNKNOWN_REGION,
    PAGE_SIZE,
)
from rankings.services import rank_game
from teams.models import Team
from teams.tests.factories import MembershipFactory

from .builders import bulk_rosters, bulk_teams

pytestmark = pytest.mark.django_db

URL = reverse("rankings:leaderboard")


def _board(game, count, *, roster_size=1, private=()):
    """Create ``count`` ranked teams (first ones highest) with rosters, and rank."""
    regions = list(Region.objects.order_by("sort_order")[:3])
    teams = bulk_teams(
        game,
        count,
        prefix="Board",
        points=lambda index: 10 * (count - index),
        region=lambda index: regions[index % 3],
        private=private,
    )
    bulk_rosters(teams[:PAGE_SIZE], roster_size, with_game_accounts=True)
    rank_game(game)
    return teams


def test_url_contract():
    assert URL == "/teams/leaderboard/"


def test_page_defaults_to_first_game(client, cs2, make_team):
    make_team("Alpha Squad", 10)
    rank_game(cs2)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["board"].game == Game.objects.filter(is_active=True)[0]
    content = response.content.decode()
    assert "Alpha Squad" in content
    assert "Ranks last recomputed" in content
    assert '<select name="game">' in content
    assert '<select name="region">' in content


def test_page_without_snapshot(client, cs2):
    response = client.get(URL, {"game": "cs2"})
    assert response.status_code == 200
    assert "Ranks have not been computed for this game yet." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"game": "chess"}, 404, MSG_UNKNOWN_GAME.format(slug="chess")),
        (
            {"game": "cs2", "region": "mars"},
            404,
            MSG_UNKNOWN_REGION.format(slug="mars"),
        ),
        ({"game": "cs2", "page": "abc"}, 400, MSG_INVALID_PAGE.format(page="abc")),
        ({"game": "cs2", "page": "0"}, 400, MSG_INVALID_PAGE.format(page="0")),
        (
            {"game": "cs2", "page": "9"},
            404,
            MSG_PAGE_OUT_OF_RANGE.format(page=9, pages="1 page"),
        ),
    ],
)
def test_page_bad_input(client, cs2, params, status, message):
    response = client.get(URL, params)
    assert response.status_code == status
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "page",
    [
        "99999999999999999999",
        "9" * 5000,  # past Python's limit on digits int() converts
        str(MAX_PAGE + 1),
        str(MAX_PAGE),  # the largest OFFSET both databases accept
        str(2**63),
    ],
)
def test_huge_page_404(client, cs2, make_team, page):
    make_team("Alpha Squad", 10)
    rank_game(cs2)
    response = client.get(URL, {"game": "cs2", "page": page})
    assert response.status_code == 404
    assert MSG_PAGE_OUT_OF_RANGE.format(page=page, pages="1 page") in (
        response.content.decode()
    )


@pytest.mark.parametrize("page", ["²", "1²", "١", "-1", "1.0", "1_0"])
def test_malformed_page_400(client, cs2, page):
    response = client.get(URL, {"game": "cs2", "page": page})
    assert response.status_code == 400
    assert MSG_INVALID_PAGE.format(page=page) in response.content.decode()


def test_inactive_game_not_found(client, cs2):
    Game.objects.filter(pk=cs2.pk).update(is_active=False)
    response = client.get(URL, {"game": "cs2"})
    assert response.status_code == 404


def test_page_columns(client, cs2, make_team, europe):
    team = make_team("Roster Team", 40, region=europe, tag="RT")
    member = MembershipFactory(team=team, role="captain")
    GameAccountFactory(profile=member.profile, game=cs2, in_game_name="s1mpleton")
    MembershipFactory(team=team, profile=UnclaimedProfileFactory(handle="plainhandle"))
    rank_game(cs2)

    content = client.get(URL, {"game": "cs2"}).content.decode()

    assert "Roster Team" in content
    assert '<span class="lb-tag">RT</span>' in content
    assert "s1mpleton · plainhandle" in content
    assert f"/teams/{team.slug}/" in content
    assert '<td class="num lb-points">40</td>' in content


def test_private_team_not_listed(client, cs2, make_team, europe):
    team = make_team("Hidden Five", 40, region=europe, privacy=Team.Privacy.PRIVATE)
    MembershipFactory(team=team, profile=UnclaimedProfileFactory(handle="secretplayer"))
    make_team("Open Five", 10, region=europe)
    rank_game(cs2)
    for params in ({"game": "cs2"}, {"game": "cs2", "region": "europe"}):
        response = client.get(URL, params)
        content = response.content.decode()
        assert "Hidden Five" not in content
        assert "secretplayer" not in content
        assert [
            (row.team.name, row.rank) for row in response.context["board"].rows
        ] == [("Open Five", 1)]


def test_private_team_member_sees_no_around(client, cs2, user, make_team):
    mine = make_team("Hidden Five", 40, privacy=Team.Privacy.PRIVATE)
    MembershipFactory(team=mine, profile=user.profile)
    make_team("Open Five", 10)
    rank_game(cs2)
    client.force_login(user)
    board = client.get(URL, {"game": "cs2"}).context["board"]
    assert board.around is None
    assert [row.team.name for row in board.rows] == ["Open Five"]


def test_unranked_team_has_no_number(client, cs2, make_team):
    make_team("Scored", 5)
    make_team("Zero", 0)
    rank_game(cs2)
    rows = client.get(URL, {"game": "cs2"}).context["board"].rows
    assert [(row.team.name, row.rank) for row in rows] == [
        ("Scored", 1),
        ("Zero", None),
    ]


def test_regional_page(client, cs2, make_team, europe, asia):
    make_team("EU Team", 10, region=europe)
    make_team("Asia Team", 50, region=asia)
    rank_game(cs2)
    response = client.get(URL, {"game": "cs2", "region": "europe"})
    rows = response.context["board"].rows
    assert [(row.team.name, row.rank) for row in rows] == [("EU Team", 1)]
    assert "Region rank" in response.content.decode()


def test_pagination_keeps_filters(client, cs2):
    _board(cs2, PAGE_SIZE * 9)  # 150 teams in each of three regions
    response = client.get(URL, {"game": "cs2", "region": "europe", "page": "2"})
    content = response.content.decode()
    board = response.context["board"]
    assert board.page.number == 2
    assert board.rows[0].rank == PAGE_SIZE + 1
    assert "?game=cs2&amp;region=europe&amp;page=1" in content
    assert "?game=cs2&amp;region=europe&amp;page=3" in content
    assert "Page 2 of 3" in content


def test_around_my_team_other_page(client, cs2, user):
    teams = _board(cs2, PAGE_SIZE * 2)
    mine = teams[PAGE_SIZE + 9]  # rank 60, on page 2
    MembershipFactory(team=mine, profile=user.profile)
    client.force_login(user)

    response = client.get(URL, {"game": "cs2"})

    around = response.context["board"].around
    assert around.position == PAGE_SIZE + 10
    assert around.page_number == 2
    assert around.on_this_page is False
    assert [ranking.rank for ranking in around.neighbours] == [58, 59, 60, 61, 62]
    content = response.content.decode()
    assert f"page=2#team-{mine.pk}" in content
    assert "is ranked <strong>#60</strong>" in content


def test_around_my_team_this_page(client, cs2, user):
    teams = _board(cs2, 10)
    MembershipFactory(team=teams[2], profile=user.profile)
    client.force_login(user)
    response = client.get(URL, {"game": "cs2"})
    around = response.context["board"].around
    assert around.on_this_page is True
    assert around.neighbours == []
    mine = [row for row in response.context["board"].rows if row.is_mine]
    assert [row.team.pk for row in mine] == [teams[2].pk]
    assert f'id="team-{teams[2].pk}" class="lb-mine' in response.content.decode()


def test_around_my_unranked_team(client, cs2, user, make_team):
    _board(cs2, PAGE_SIZE + 3)
    make_team("Aaa Zero", 0)
    mine = make_team("Zzz Zero", 0)
    MembershipFactory(team=mine, profile=user.profile)
    client.force_login(user)

    around = client.get(URL, {"game": "cs2"}).context["board"].around

    assert around.is_ranked is False
    assert around.position == PAGE_SIZE + 5
    assert around.page_number == 2


def test_around_my_team_other_region(client, cs2, user, make_team, europe, asia):
    mine = make_team("Mine", 10, region=asia)
    MembershipFactory(team=mine, profile=user.profile)
    rank_game(cs2)
    client.force_login(user)
    response = client.get(URL, {"game": "cs2", "region": "europe"})
    assert response.context["board"].around.other_region is True
    assert "?game=cs2&amp;region=asia" in response.content.decode()


def _count_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("region", [None, "europe"])
def test_query_budget_anonymous(client, cs2, django_assert_max_num_queries, region):
    params = {"game": "cs2", **({"region": region} if region else {})}
    _board(cs2, 10, roster_size=1)
    rank_game(cs2)  # a second snapshot, so rows carry their previous rank
    small = _count_queries(client, params)

    _board(cs2.__class__.objects.get(slug="valorant"), 1000, roster_size=7)
    # Queries: active games, regions, the two latest snapshots, the page's
    # team ids with the board size, the page rows with teams and previous
    # ranks, the page rosters.
    with django_assert_max_num_queries(6):
        response = client.get(
            URL, {**params, "game": "valorant", "page": "2"} if region else
            {"game": "valorant", "page": "2"}
        )  # fmt: skip
    assert response.status_code == 200
    large = _count_queries(client, {**params, "game": "valorant"})
    assert small == large
    assert large <= 8


def test_query_budget_signed_in(client, cs2, user, django_assert_max_num_queries):
    small_teams = _board(cs2, 10, roster_size=1)
    MembershipFactory(team=small_teams[3], profile=user.profile)
    valorant = Game.objects.get(slug="valorant")
    large_teams = _board(valorant, 1000, roster_size=7)
    MembershipFactory(team=large_teams[3], profile=user.profile, game=valorant)
    client.force_login(user)

    small = _count_queries(client, {"game": "cs2"})
    large = _count_queries(client, {"game": "valorant"})
    assert small == large

    # Queries: session, user, active games with the user's team in each,
    # regions, the two latest snapshots, the page's team ids with the board
    # size, the page rows and the page rosters. Then the user's team with its
    # neighbours, because it is on another page, and the header's unread
    # notification count.
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"game": "valorant", "page": "3"})
    assert response.context["board"].around.neighbours


def test_query_budget_unranked_team(client, cs2, user, django_assert_max_num_queries):
    _board(cs2, 1000, roster_size=7)
    mine = Team.objects.create(
        game=cs2, name="Zzz", name_key="zzz", name_sort="7a7a7a", slug="zzz"
    )
    MembershipFactory(team=mine, profile=user.profile)
    client.force_login(user)
    # Queries: as above, with the team's position counted in the same query.
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"game": "cs2"})
    assert response.context["board"].around.position == 1001
