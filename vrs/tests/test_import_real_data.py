"""Importing the published Valve Regional Standings reproduces them exactly.

The data is imported once, on one test worker, inside a transaction that
is rolled back when this module's tests finish, so no other test reads it.
"""

import csv
import hashlib
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.models import Profile
from rankings.models import LedgerEntry, RankingSnapshot, SnapshotEntry, TeamRanking
from roster.models import RosterEvent
from teams.models import Membership, Team, TeamSlug
from vrs.models import (
    ImportedPlayer,
    ImportedRow,
    ImportedTeam,
    RankBreakdown,
    TeamMatch,
)
from vrs.parsing import find_snapshots, read_standings_file
from vrs.services import _snapshot_time, import_paths

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("vrs_real_data")]

# Columns that record when a row was written rather than its content.
TIMESTAMPS = {"created_at", "updated_at", "taken_at"}
CHECKED_MODELS = [
    Team, TeamSlug, Membership, Profile, RosterEvent, LedgerEntry,
    TeamRanking, RankingSnapshot, SnapshotEntry,
    ImportedTeam, ImportedPlayer, ImportedRow, TeamMatch, RankBreakdown,
]  # fmt: skip


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def imported(vrs_data_dir, django_db_setup, django_db_blocker):
    """Import every snapshot once; undo it when the module's tests are done."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                results = import_paths([vrs_data_dir])
                yield {"folder": vrs_data_dir, "results": results}
                raise _Rollback
        except _Rollback:
            pass


def checksum():
    """Return {model: (row count, digest)} over every column but timestamps."""
    sums = {}
    for model in CHECKED_MODELS:
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if field.name not in TIMESTAMPS
        ]
        digest = hashlib.sha256()
        rows = model.objects.order_by("pk").values_list(*fields)
        count = 0
        for row in rows:
            digest.update(repr(row).encode())
            count += 1
        sums[model.__name__] = (count, digest.hexdigest())
    return sums


def roster_on(team, date):
    at = _snapshot_time(date)
    members = Membership.objects.filter(team=team, joined_at__lte=at).exclude(
        ended_at__lte=at
    )
    return tuple(sorted(m.profile.handle.casefold() for m in members))


def board_on(date):
    snapshot = RankingSnapshot.objects.get(
        game__slug="cs2", date=date, source=RankingSnapshot.Source.IMPORT
    )
    return list(
        snapshot.entries.filter(rank__isnull=False)
        .select_related("team", "region")
        .order_by("rank")
    )


def test_every_snapshot_imported(imported):
    dates = [snapshot.date for snapshot in find_snapshots([imported["folder"]])]
    assert len(dates) == 6
    assert [result.date for result in imported["results"]] == dates
    assert {result.status for result in imported["results"]} == {"imported"}


def test_global_boards_match_published(imported):
    for snapshot in find_snapshots([imported["folder"]]):
        rows = read_standings_file(snapshot.global_path).rows
        board = board_on(snapshot.date)
        assert len(board) == len(rows), snapshot.date
        for row, entry in zip(rows, board, strict=True):
            assert entry.rank == row.standing, (snapshot.date, row)
            assert entry.points == row.points, (snapshot.date, row)
            assert roster_on(entry.team, snapshot.date) == row.roster_key, (
                snapshot.date,
                row,
            )


def test_regional_boards_match_published(imported):
    for snapshot in find_snapshots([imported["folder"]]):
        board = board_on(snapshot.date)
        for scope, path in snapshot.regional_paths.items():
            rows = read_standings_file(path).rows
            regional = sorted(
                (entry for entry in board if entry.region.slug == scope),
                key=lambda entry: entry.regional_rank,
            )
            published = [(row.standing, row.points, row.roster_key) for row in rows]
            stored = [
                (
                    entry.regional_rank,
                    entry.points,
                    roster_on(entry.team, snapshot.date),
                )
                for entry in regional
            ]
            assert stored == published, (snapshot.date, scope)


def test_current_board_is_latest_snapshot(imported):
    latest = find_snapshots([imported["folder"]])[-1]
    rows = read_standings_file(latest.global_path).rows
    rankings = list(
        TeamRanking.objects.filter(game__slug="cs2", rank__isnull=False).order_by(
            "rank"
        )
    )
    assert [(r.rank, r.points) for r in rankings] == [
        (row.standing, row.points) for row in rows
    ]


def test_second_import_changes_nothing(imported):
    before = checksum()
    results = import_paths([imported["folder"]])
    assert {result.status for result in results} == {"unchanged"}
    assert checksum() == before


def test_matches_and_breakdowns_imported(imported):
    vitality = Team.objects.get(game__slug="cs2", name="Vitality")
    assert vitality.vrs_matches.count() > 10
    breakdown = vitality.vrs_breakdowns.get()
    assert breakdown.region_name == "Europe"
    assert breakdown.regional_rank == 1
    linked = vitality.vrs_matches.filter(opponent__isnull=False).count()
    assert linked > 0


def test_leaderboard_command_lists_published_rosters(imported):
    latest = find_snapshots([imported["folder"]])[-1]
    rows = read_standings_file(latest.global_path).rows
    output = io.StringIO()
    call_command("leaderboard", "--game", "cs2", "--format", "csv", stdout=output)
    lines = list(csv.reader(io.StringIO(output.getvalue())))
    assert lines[0] == ["rank", "points", "team", "roster"]
    # Teams that dropped out follow the ranked ones, without a rank.
    assert len(lines) - 1 >= len(rows)
    for row, line in zip(rows, lines[1:], strict=False):
        assert line[0] == str(row.standing)
        assert line[1] == str(row.points)
        assert line[3] == ", ".join(row.roster), row
