"""The board query reads its page from an index on PostgreSQL."""

import re

import pytest
from django.db import connection

from games.models import Region
from rankings.models import RankingSnapshot
from rankings.selectors import PAGE_SIZE, board_page_queryset
from rankings.services import ledger_add, rank_game

from .builders import bulk_teams

TEAM_COUNT = 10_000


@pytest.fixture
def big_board(cs2, postgres_only):
    regions = list(Region.objects.order_by("sort_order"))
    teams = bulk_teams(
        cs2,
        TEAM_COUNT,
        prefix="Explain",
        # Many ties, so the later sort columns matter too.
        points=lambda index: (index * 7919) % 3000,
        region=lambda index: regions[index % len(regions)],
    )
    rank_game(cs2)
    ledger_add(teams[0], amount=5, source="match", reason="Win", idempotency_key="w")
    rank_game(cs2)  # a second snapshot, so the page query carries movement
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return cs2


def _first_page_plan(game, region, previous):
    queryset = board_page_queryset(
        game, region, offset=0, limit=PAGE_SIZE, previous_snapshot=previous
    )
    return queryset.explain()


def _assert_served_by_index(plan, index_name):
    assert re.search(rf"Index (Only )?Scan (Backward )?using {index_name} ", plan), plan
    assert "Seq Scan on teams_team" not in plan, plan
    assert "Seq Scan on rankings_teamranking" not in plan, plan
    # The only sort allowed is of the page's own rows, never of the board.
    sorted_rows = [
        int(rows) for rows in re.findall(r"Sort\s+\(cost=\S+ rows=(\d+)", plan)
    ]
    assert all(rows <= PAGE_SIZE for rows in sorted_rows), plan


def test_board_queries_use_indexes(big_board):
    previous = RankingSnapshot.objects.filter(game=big_board)[1]
    europe = Region.objects.get(slug="europe")

    global_plan = _first_page_plan(big_board, None, previous)
    region_plan = _first_page_plan(big_board, europe, previous)

    _assert_served_by_index(global_plan, "rankings_board_order")
    _assert_served_by_index(region_plan, "rankings_region_board_order")
