import pytest
from django.utils import timezone

from rankings.models import TeamRanking
from rankings.selectors import board_queryset, leaderboard_rows
from rankings.services import rank_game, ranking_set_published_standing

pytestmark = pytest.mark.django_db

# (name, points, published standing, region slug)
TEAMS = [
    ("ß", 50, None, "europe"),
    ("Ørsted", 50, None, "asia"),
    ("Zeta", 100, None, "europe"),
    ("Élan", 50, None, "europe"),
    ("alpha", 50, None, "asia"),
    ("Mid Standing", 50, 7, "asia"),
    ("Alpha 2", 50, None, "europe"),
    ("Top Standing", 50, 2, "europe"),
    ("Beta Zero", 0, None, "asia"),
    ("Aardvark Zero", 0, None, "europe"),
    ("Minus", -5, None, None),
]

# Points desc, then published standing asc, then the ASCII name key: the
# same list on SQLite and PostgreSQL.
EXPECTED_ORDER = [
    ("Zeta", 1),
    ("Top Standing", 2),
    ("Mid Standing", 3),
    ("alpha", 4),
    ("Alpha 2", 5),
    ("Élan", 6),
    ("Ørsted", 7),
    ("ß", 8),
    ("Aardvark Zero", None),
    ("Beta Zero", None),
    ("Minus", None),
]


@pytest.fixture
def board(cs2, make_team):
    from games.models import Region

    regions = {region.slug: region for region in Region.objects.all()}
    for name, points, standing, region in TEAMS:
        team = make_team(name, points, region=regions.get(region))
        if standing is not None:
            ranking_set_published_standing(team, standing)
    make_team("Gone", 500, disbanded_at=timezone.now())
    make_team("Other Game", 900, game=cs2.__class__.objects.get(slug="valorant"))
    rank_game(cs2)
    return cs2


def _names_and_ranks(rows):
    return [(row.team.name, row.rank) for row in rows]


def test_order_global(board):
    rows = list(leaderboard_rows(board))
    assert _names_and_ranks(rows) == EXPECTED_ORDER


def test_order_stored_ranks(board):
    rankings = board_queryset(board).select_related("team")
    stored = [(ranking.team.name, ranking.rank) for ranking in rankings]
    assert stored == EXPECTED_ORDER


@pytest.mark.parametrize("slug", ["europe", "asia"])
def test_regional_board_is_filtered_global(board, slug):
    from games.models import Region

    region = Region.objects.get(slug=slug)
    region_names = {name for name, _, _, region_slug in TEAMS if region_slug == slug}
    expected_names = [name for name, _ in EXPECTED_ORDER if name in region_names]

    rows = list(leaderboard_rows(board, region))

    assert [row.team.name for row in rows] == expected_names
    ranked = [row.rank for row in rows if row.rank is not None]
    assert ranked == list(range(1, len(ranked) + 1))
    ranked_names = [name for name, rank in EXPECTED_ORDER if rank is not None]
    for row in rows:
        assert (row.rank is None) == (row.team.name not in ranked_names)


def test_disbanded_and_other_games_left_out(board):
    names = [row.team.name for row in leaderboard_rows(board)]
    assert "Gone" not in names
    assert "Other Game" not in names
    assert TeamRanking.objects.get(team__name="Gone").is_active is False


def test_limit(board):
    rows = list(leaderboard_rows(board, limit=3, chunk_size=2))
    assert _names_and_ranks(rows) == EXPECTED_ORDER[:3]


def test_published_standing_cleared(board):
    from teams.models import Team

    ranking_set_published_standing(Team.objects.get(name="Top Standing"), None)
    rank_game(board)
    names = [row.team.name for row in leaderboard_rows(board, limit=4)]
    assert names == ["Zeta", "Mid Standing", "alpha", "Alpha 2"]


def test_published_standing_invalid(make_team):
    team = make_team("Team A", 5)
    with pytest.raises(ValueError):
        ranking_set_published_standing(team, 0)
