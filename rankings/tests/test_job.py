import importlib
import logging

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rankings.models import LedgerEntry, RankingSnapshot, SnapshotEntry, TeamRanking
from rankings.selectors import Movement, leaderboard_page, rank_movement
from rankings.services import ledger_add, rank_game
from rankings.tasks import rank_teams_task
from teams.models import Team
from teams.services import team_disband

pytestmark = pytest.mark.django_db

WRITE_PREFIXES = ("INSERT", "UPDATE", "DELETE")


def _ranking_state(game):
    return list(
        TeamRanking.objects.filter(game=game)
        .order_by("team_id")
        .values_list(
            "team_id", "points", "rank", "regional_rank", "region_id",
            "is_active", "standing_order", "name_sort", "updated_at",
        )
    )  # fmt: skip


def test_movement_unit():
    assert rank_movement(3, 5) == Movement("up", 2)
    assert rank_movement(5, 3) == Movement("down", 2)
    assert rank_movement(4, 4) == Movement("same")
    assert rank_movement(1, None) == Movement("new")
    assert rank_movement(None, 2) is None


def test_movement_between_snapshots(cs2, make_team, europe, user):
    stable = make_team("Stable", 100, region=europe)
    climber = make_team("Climber", 10, region=europe)
    first = make_team("First", 30, region=europe)
    second = make_team("Second", 20)
    with time_machine.travel("2026-03-01 04:00Z"):
        assert rank_game(cs2).snapshot is not None
    ledger_add(climber, amount=30, source="match", reason="Win", idempotency_key="w1")
    newcomer = make_team("Newcomer", 5, region=europe)
    with time_machine.travel("2026-03-02 04:00Z"):
        assert rank_game(cs2).snapshot is not None

    page = leaderboard_page(user=user, game_slug="cs2")

    moves = {row.team.pk: (row.rank, row.movement) for row in page.rows}
    assert moves[stable.pk] == (1, Movement("same"))
    assert moves[climber.pk] == (2, Movement("up", 2))
    assert moves[first.pk] == (3, Movement("down", 1))
    assert moves[second.pk] == (4, Movement("down", 1))
    assert moves[newcomer.pk] == (5, Movement("new"))
    assert page.previous_snapshot.date.isoformat() == "2026-03-01"
    assert page.latest_snapshot.date.isoformat() == "2026-03-02"


def test_movement_regional(cs2, make_team, europe, user):
    make_team("Stable", 100, region=europe)
    climber = make_team("Climber", 10, region=europe)
    first = make_team("First", 30, region=europe)
    make_team("Elsewhere", 20)
    rank_game(cs2)
    ledger_add(climber, amount=30, source="match", reason="Win", idempotency_key="w1")
    rank_game(cs2)

    page = leaderboard_page(user=user, game_slug="cs2", region_slug="europe")

    moves = {row.team.pk: (row.rank, row.movement) for row in page.rows}
    assert moves[climber.pk] == (2, Movement("up", 1))
    assert moves[first.pk] == (3, Movement("down", 1))


def test_no_movement_without_previous_snapshot(cs2, make_team, user):
    make_team("Only", 10)
    rank_game(cs2)
    page = leaderboard_page(user=user, game_slug="cs2")
    assert page.rows[0].movement is None
    assert page.previous_snapshot is None


def test_job_second_run_writes_nothing(cs2, make_team, europe):
    make_team("One", 10, region=europe)
    make_team("Two", 20)
    make_team("Empty", 0)
    first = rank_game(cs2)
    assert first.snapshot is not None
    state = _ranking_state(cs2)

    with CaptureQueriesContext(connection) as queries:
        second = rank_game(cs2)

    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(WRITE_PREFIXES)
    ]
    assert writes == []
    assert second.changed is False
    assert second.snapshot is None
    assert RankingSnapshot.objects.filter(game=cs2).count() == 1
    assert _ranking_state(cs2) == state


def test_job_snapshot_leaves_out_empty_teams(cs2, make_team):
    make_team("Scored", 10)
    empty = make_team("Empty", 0)
    snapshot = rank_game(cs2).snapshot
    assert snapshot.entries.count() == 1
    assert not SnapshotEntry.objects.filter(team=empty).exists()
    assert snapshot.source == RankingSnapshot.Source.JOB


def test_job_writes_snapshot_on_change(cs2, make_team):
    team = make_team("Scored", 10)
    rank_game(cs2)
    ledger_add(team, amount=1, source="match", reason="Win", idempotency_key="w1")
    result = rank_game(cs2)
    assert result.snapshot is not None
    assert result.rows_updated == 1
    assert result.snapshot.entries.get().points == 11


def test_job_fixes_drift(cs2, make_team, caplog):
    team = make_team("Drifted", 10)
    # A write that bypassed the ledger.
    Team.objects.filter(pk=team.pk).update(total_points=999)

    with caplog.at_level(logging.WARNING, logger="rankings.services"):
        result = rank_game(cs2)

    assert result.totals_fixed == {team.pk: (999, 10)}
    assert Team.objects.get(pk=team.pk).total_points == 10
    assert TeamRanking.objects.get(team=team).points == 10
    assert f"team {team.pk} total drifted" in caplog.text


def test_job_ranks_per_region(cs2, make_team, europe, asia):
    eu_top = make_team("EU Top", 50, region=europe)
    asia_top = make_team("Asia Top", 40, region=asia)
    eu_second = make_team("EU Second", 30, region=europe)
    no_region = make_team("Nowhere", 20)
    rank_game(cs2)
    ranks = {
        ranking.team_id: (ranking.rank, ranking.regional_rank)
        for ranking in TeamRanking.objects.filter(game=cs2)
    }
    assert ranks[eu_top.pk] == (1, 1)
    assert ranks[asia_top.pk] == (2, 1)
    assert ranks[eu_second.pk] == (3, 2)
    assert ranks[no_region.pk] == (4, None)


def test_new_team_listed_before_run(make_team):
    team = make_team("Fresh", 0)
    ranking = TeamRanking.objects.get(team=team)
    assert ranking.is_active is True
    assert ranking.rank is None


def test_disbanded_team_leaves_board(cs2, make_team):
    team = make_team("Leaving", 10)
    rank_game(cs2)
    team_disband(team)
    ranking = TeamRanking.objects.get(team=team)
    assert ranking.is_active is False
    assert ranking.rank is None
    rank_game(cs2)
    assert SnapshotEntry.objects.filter(team=team).count() == 1


def test_job_leaves_out_private_teams(cs2, make_team, europe):
    public = make_team("Open Doors", 10, region=europe)
    private = make_team("Closed Doors", 50, region=europe, privacy=Team.Privacy.PRIVATE)

    snapshot = rank_game(cs2).snapshot

    hidden = TeamRanking.objects.get(team=private)
    assert hidden.is_active is False
    assert hidden.rank is None
    assert hidden.regional_rank is None
    shown = TeamRanking.objects.get(team=public)
    assert (shown.is_active, shown.rank, shown.regional_rank) == (True, 1, 1)
    assert list(snapshot.entries.values_list("team_id", flat=True)) == [public.pk]


def test_new_private_team_off_board(make_team):
    team = make_team("Quiet", 0, privacy=Team.Privacy.PRIVATE)
    ranking = TeamRanking.objects.get(team=team)
    assert ranking.is_active is False
    assert ranking.rank is None


def test_privacy_switch_hides_at_once(cs2, make_team):
    team = make_team("Switcher", 30)
    make_team("Other", 10)
    rank_game(cs2)

    team.privacy = Team.Privacy.PRIVATE
    team.save(update_fields=["privacy"])
    ranking = TeamRanking.objects.get(team=team)
    assert (ranking.is_active, ranking.rank) == (False, None)
    rank_game(cs2)
    ranking = TeamRanking.objects.get(team=team)
    assert (ranking.is_active, ranking.rank) == (False, None)
    assert TeamRanking.objects.get(team__name="Other").rank == 1

    team.privacy = Team.Privacy.PUBLIC
    team.save(update_fields=["privacy"])
    rank_game(cs2)
    ranking = TeamRanking.objects.get(team=team)
    assert (ranking.is_active, ranking.rank) == (True, 1)


def test_rank_teams_command(cs2, make_team):
    make_team("Scored", 10)
    call_command("rank_teams", "--game", "cs2")
    assert TeamRanking.objects.get(team__name="Scored").rank == 1
    with pytest.raises(CommandError, match="nope"):
        call_command("rank_teams", "--game", "nope")


def test_rank_teams_task(cs2, make_team):
    make_team("Scored", 10)
    summary = rank_teams_task.delay().get()
    assert summary["cs2"]["rows_updated"] == 1
    assert summary["cs2"]["snapshot"] is not None
    assert summary["valorant"]["snapshot"] is None


def test_beat_schedule_runs_job(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "rankings.tasks.rank_teams_task" in tasks


def test_opening_entries_migration(make_team):
    with_points = make_team("Had Points")
    without = make_team("Had None")
    # Totals from before the ledger existed.
    Team.objects.filter(pk=with_points.pk).update(total_points=70)
    migration = importlib.import_module("rankings.migrations.0002_opening_entries")

    migration.create_opening_entries(apps, None)
    migration.create_opening_entries(apps, None)

    entry = LedgerEntry.objects.get(team=with_points)
    assert entry.amount == 70
    assert entry.source == LedgerEntry.Source.OPENING
    assert entry.idempotency_key == f"opening:{with_points.pk}"
    assert not LedgerEntry.objects.filter(team=without).exists()
    assert Team.objects.get(pk=with_points.pk).total_points == 70
