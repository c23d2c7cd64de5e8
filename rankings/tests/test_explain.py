"""The leaderboard page reads its rows through indexes on PostgreSQL."""

import re

import pytest
from django.db import connection

from games.models import Region
from rankings.models import RankingSnapshot
from rankings.selectors import (
    PAGE_SIZE,
    board_rows_queryset,
    board_slice,
    board_slice_queryset,
)
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
    rank_game(cs2)  # a second snapshot, so the rows carry their movement
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return cs2


def _assert_no_board_sort(plan):
    """Fail when a Sort node sorts more rows than one page."""
    sorted_rows = [
        int(rows) for rows in re.findall(r"Sort\s+\(cost=\S+ rows=(\d+)", plan)
    ]
    assert all(rows <= PAGE_SIZE for rows in sorted_rows), plan


@pytest.mark.parametrize(
    ("region_slug", "index_name"),
    [(None, "rankings_board_order"), ("europe", "rankings_region_board_order")],
)
def test_board_page_uses_indexes(big_board, region_slug, index_name):
    region = Region.objects.get(slug=region_slug) if region_slug else None
    previous = RankingSnapshot.objects.filter(game=big_board)[1]
    # The page's ORDER BY and LIMIT run in the slice query.
    slice_plan = board_slice_queryset(
        big_board, region, offset=0, limit=PAGE_SIZE
    ).explain()
    team_ids, _ = board_slice(big_board, region, offset=0, limit=PAGE_SIZE)
    rows_plan = board_rows_queryset(team_ids, region, previous).explain()

    index_scan = rf"Index (Only )?Scan (Backward )?using {index_name} "
    assert re.search(index_scan, slice_plan), slice_plan
    assert "Seq Scan" not in slice_plan, slice_plan
    _assert_no_board_sort(slice_plan)
    pkey_scan = r"(Bitmap )?Index Scan (using|on) rankings_teamranking_pkey"
    assert re.search(pkey_scan, rows_plan), rows_plan
    assert "Seq Scan" not in rows_plan, rows_plan
    _assert_no_board_sort(rows_plan)
