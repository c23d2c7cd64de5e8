"""Writes for points and rankings: the ledger, published standings and the
ranking job."""

import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from games.models import Game
from rankings.models import (
    NO_STANDING,
    LedgerEntry,
    RankingSnapshot,
    SnapshotEntry,
    TeamRanking,
)
from teams.models import Team

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000

# Columns of TeamRanking that the ranking job owns.
RANKING_FIELDS = (
    "game_id", "region_id", "is_active", "points", "standing_order",
    "name_sort", "rank", "regional_rank",
)  # fmt: skip


def ledger_add(
    team,
    *,
    amount,
    source,
    reason,
    idempotency_key,
    created_by=None,
    created_at=None,
):
    """Append a ledger entry and add its amount to the team's total.

    Returns ``(entry, created)``. A key that is already stored is a no-op that
    returns the stored entry with ``created=False``, also when two callers race.
    """
    if source not in LedgerEntry.Source.values:
        raise ValueError(
            f"Invalid ledger source {source!r}: use one of "
            f"{', '.join(LedgerEntry.Source.values)}."
        )
    team_id = team.pk if isinstance(team, Team) else int(team)
    # The team row lock serialises additions to one team, so the total always
    # equals the sum of its entries. NO KEY UPDATE: only total_points changes.
    with transaction.atomic():
        Team.objects.select_for_update(no_key=True).filter(pk=team_id).values_list(
            "pk"
        ).get()
        existing = LedgerEntry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
        try:
            # The savepoint keeps the outer transaction usable when another
            # team's addition stored the same key first.
            with transaction.atomic():
                entry = LedgerEntry.objects.create(
                    team_id=team_id,
                    amount=amount,
                    source=source,
                    reason=reason,
                    idempotency_key=idempotency_key,
                    created_by=created_by,
                    created_at=created_at or timezone.now(),
                )
        except IntegrityError:
            return LedgerEntry.objects.get(idempotency_key=idempotency_key), False
        Team.objects.filter(pk=team_id).update(total_points=F("total_points") + amount)
    if isinstance(team, Team):
        team.refresh_from_db(fields=["total_points"])
    return entry, True


def ranking_set_published_standing(team, standing):
    """Store the team's position in the latest imported ranking (None clears it).

    The board uses it from the next ranking run, which an import should start
    with rank_game(game, source=RankingSnapshot.Source.IMPORT).
    """
    if standing is not None and standing < 1:
        raise ValueError(f"Invalid published standing {standing}: it starts at 1.")
    ranking, created = TeamRanking.objects.get_or_create(
        team=team,
        defaults={
            "game_id": team.game_id,
            "region_id": team.region_id,
            "name_sort": team.name_sort,
            "is_active": team.disbanded_at is None and not team.is_private,
            "published_standing": standing,
        },
    )
    if not created and ranking.published_standing != standing:
        TeamRanking.objects.filter(pk=ranking.pk).update(published_standing=standing)


@dataclass
class RankingResult:
    """Changes made by one ranking run of a game."""

    game: Game
    totals_fixed: dict = field(default_factory=dict)  # team id -> (old, new)
    rows_created: int = 0
    rows_updated: int = 0
    snapshot: RankingSnapshot | None = None

    @property
    def changed(self):
        return bool(
            self.totals_fixed or self.rows_created or self.rows_updated or self.snapshot
        )


def rank_teams(game_slug=None, **options):
    """Run rank_game for one game (by slug) or for every active game."""
    games = Game.objects.filter(is_active=True)
    if game_slug:
        games = Game.objects.filter(slug=game_slug)
        if not games.exists():
            raise Game.DoesNotExist(f"No game with the slug {game_slug!r}.")
    return [rank_game(game, **options) for game in games]


def rank_game(game, *, source=RankingSnapshot.Source.JOB, note="", date=None):
    """Recompute a game's totals from the ledger, rank its teams and snapshot.

    Writes only what changed: a second run over the same data runs no
    INSERT, UPDATE or DELETE. A snapshot is written when the ranked entries
    differ from the game's latest snapshot.
    """
    started = timezone.now()
    result = RankingResult(game=game)
    with transaction.atomic():
        # The game row lock keeps two runs for one game (the daily job and a
        # manual run) from interleaving their writes. In PostgreSQL, NO KEY
        # UPDATE does not conflict with the KEY SHARE locks that inserting
        # teams and memberships take on the game row, so a join holding its
        # team lock cannot deadlock with this run.
        Game.objects.select_for_update(no_key=True).filter(pk=game.pk).values_list(
            "pk"
        ).get()
        result.totals_fixed = _fix_drifted_totals(game)
        teams = _ordered_active_teams(game)
        rows = _ranking_rows(game, teams)
        result.rows_created, result.rows_updated = _save_rankings(game, rows)
        result.snapshot = _snapshot_if_changed(
            game, rows, source=source, note=note, date=date or started.date()
        )
    logger.info(
        "ranked %s: %d teams, %d totals fixed, %d rows created, %d updated, "
        "snapshot %s, %.2fs",
        game.slug,
        len(rows),
        len(result.totals_fixed),
        result.rows_created,
        result.rows_updated,
        result.snapshot.pk if result.snapshot else "unchanged",
        (timezone.now() - started).total_seconds(),
    )
    return result


def _fix_drifted_totals(game):
    """Set each team's total to the sum of its ledger entries where they differ."""
    sums = dict(
        LedgerEntry.objects.filter(team__game=game)
        .values("team")
        .annotate(total=Sum("amount"))
        .values_list("team", "total")
    )
    drifted = [
        team_id
        for team_id, total in Team.objects.filter(game=game).values_list(
            "pk", "total_points"
        )
        if sums.get(team_id, 0) != total
    ]
    fixed = {}
    for team_id in drifted:
        # Same lock as ledger_add, so no entry lands between the sum and the
        # write.
        old = (
            Team.objects.select_for_update(no_key=True)
            .filter(pk=team_id)
            .values_list("total_points", flat=True)
            .get()
        )
        new = (
            LedgerEntry.objects.filter(team_id=team_id).aggregate(total=Sum("amount"))[
                "total"
            ]
            or 0
        )
        if new == old:
            continue
        Team.objects.filter(pk=team_id).update(total_points=new)
        fixed[team_id] = (old, new)
        logger.warning(
            "team %s total drifted from its ledger: was %s, set to %s",
            team_id,
            old,
            new,
        )
    return fixed


def _ordered_active_teams(game):
    """Return the game's active public teams as dicts, in board order.

    Private teams are left out: their points and rank are hidden from
    non-members, so they are neither ranked nor put in snapshots.
    """
    standings = dict(
        TeamRanking.objects.filter(game=game).values_list(
            "team_id", "published_standing"
        )
    )
    teams = []
    for team_id, region_id, name_sort, points in Team.objects.filter(
        game=game, disbanded_at__isnull=True, privacy=Team.Privacy.PUBLIC
    ).values_list("pk", "region_id", "name_sort", "total_points"):
        standing = standings.get(team_id)
        teams.append(
            {
                "team_id": team_id,
                "region_id": region_id,
                "name_sort": name_sort,
                "points": points,
                "published_standing": standing,
                "standing_order": NO_STANDING if standing is None else standing,
            }
        )
    teams.sort(
        key=lambda team: (
            -team["points"],
            team["standing_order"],
            team["name_sort"],
            team["team_id"],
        )
    )
    return teams


def _ranking_rows(game, teams):
    """Number the ordered teams: a rank for every team with points above zero."""
    rank = 0
    regional = {}
    for team in teams:
        team["game_id"] = game.pk
        team["is_active"] = True
        if team["points"] > 0:
            rank += 1
            team["rank"] = rank
            if team["region_id"] is None:
                team["regional_rank"] = None
            else:
                regional[team["region_id"]] = regional.get(team["region_id"], 0) + 1
                team["regional_rank"] = regional[team["region_id"]]
        else:
            team["rank"] = None
            team["regional_rank"] = None
    return teams


def _save_rankings(game, rows):
    """Create and update TeamRanking rows that differ; return the two counts."""
    now = timezone.now()
    existing = {
        ranking.team_id: ranking for ranking in TeamRanking.objects.filter(game=game)
    }
    to_create = []
    to_update = []

    for row in rows:
        ranking = existing.pop(row["team_id"], None)
        if ranking is None:
            to_create.append(
                TeamRanking(
                    team_id=row["team_id"],
                    updated_at=now,
                    **{name: row[name] for name in RANKING_FIELDS},
                )
            )
            continue
        if any(getattr(ranking, name) != row[name] for name in RANKING_FIELDS):
            for name in RANKING_FIELDS:
                setattr(ranking, name, row[name])
            ranking.updated_at = now
            to_update.append(ranking)

    # Rows left over belong to teams that disbanded or are private: they
    # leave the board.
    for ranking in existing.values():
        if ranking.is_active or ranking.rank is not None:
            ranking.is_active = False
            ranking.rank = None
            ranking.regional_rank = None
            ranking.updated_at = now
            to_update.append(ranking)

    TeamRanking.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    _update_rankings(to_update, [*RANKING_FIELDS, "updated_at"])
    return len(to_create), len(to_update)


def _update_rankings(rankings, field_names):
    """Write the given fields of many TeamRanking rows, one statement per row.

    QuerySet.bulk_update builds a CASE expression with a branch per row, so
    its cost grows with the square of the batch size. A prepared UPDATE run
    with executemany grows linearly (psycopg 3 pipelines the statements).
    """
    if not rankings:
        return
    meta = TeamRanking._meta
    fields = [meta.get_field(name.removesuffix("_id")) for name in field_names]
    assignments = ", ".join(
        f"{connection.ops.quote_name(field.column)} = %s" for field in fields
    )
    # Only quoted identifiers from the model's metadata enter the SQL text;
    # every value is a query parameter.
    statement = (
        f"UPDATE {connection.ops.quote_name(meta.db_table)} SET {assignments} "  # noqa: S608
        f"WHERE {connection.ops.quote_name(meta.pk.column)} = %s"
    )
    params = [
        [
            field.get_db_prep_save(getattr(ranking, field.attname), connection)
            for field in fields
        ]
        + [ranking.pk]
        for ranking in rankings
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH_SIZE):
            cursor.executemany(statement, params[start : start + BATCH_SIZE])


def _entry_values(row):
    return (
        row["team_id"],
        row["points"],
        row["rank"],
        row["regional_rank"],
        row["region_id"],
        row["published_standing"],
    )


def _snapshot_if_changed(game, rows, *, source, note, date):
    """Write a snapshot of the rows unless the latest one already matches.

    Teams with no points and no published standing are left out: they have
    no rank, and a snapshot of every empty team would grow with each run.
    """
    entries = {
        _entry_values(row)
        for row in rows
        if row["points"] != 0 or row["published_standing"] is not None
    }
    latest = RankingSnapshot.objects.filter(game=game).first()
    if latest is None and not entries:
        return None
    if latest is not None:
        stored = set(
            latest.entries.values_list(
                "team_id",
                "points",
                "rank",
                "regional_rank",
                "region_id",
                "published_standing",
            )
        )
        if stored == entries:
            return None
    snapshot = RankingSnapshot.objects.create(
        game=game, date=date, source=source, note=note
    )
    SnapshotEntry.objects.bulk_create(
        [
            SnapshotEntry(
                snapshot=snapshot,
                team_id=team_id,
                points=points,
                rank=rank,
                regional_rank=regional_rank,
                region_id=region_id,
                published_standing=standing,
            )
            for team_id, points, rank, regional_rank, region_id, standing in entries
        ],
        batch_size=BATCH_SIZE,
    )
    return snapshot
