"""Import of Valve Regional Standings snapshots.

A snapshot is every standings file of one date. Each imports in one
transaction: teams (created, continued or renamed), rosters as unclaimed
profiles with roster events, ledger entries for the published points,
regions, the published standing, match history and the factor breakdown,
then a ranking snapshot dated by the files.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from games.models import Game, Region
from rankings.models import RankingSnapshot
from rankings.services import ledger_add, rank_game, ranking_set_published_standing
from teams.models import Team

from .details import read_details_file
from .matching import KnownTeam, match_rows
from .models import ImportedRow, ImportedTeam, ImportRun, RankBreakdown, TeamMatch
from .parsing import StandingsFormatError, find_snapshots, read_standings_file
from .records import match_record
from .rosters import roster_sync
from .teams import team_create_imported, team_rename_imported

logger = logging.getLogger(__name__)

MSG_NO_GLOBAL = "no global standings file for {date}; found only {files}"
MSG_ORPHAN_REGIONAL = (
    "the {scope} row “{name}” (standing {standing}) has no matching row "
    "in the global file"
)
MSG_TWO_REGIONS = "the row “{name}” appears in both the {first} and {second} files"
MSG_OLDER_THAN_IMPORTED = (
    "the snapshot of {date} is older than the imported snapshot of {latest}; "
    "import snapshots in date order into a fresh database"
)
MSG_DETAILS_MISSING = "{path}: details file missing; matches and breakdown skipped"
MSG_DETAILS_FOLDER_MISSING = (
    "{path}: details folder missing; matches and breakdowns of this snapshot skipped"
)


@dataclass
class SnapshotResult:
    date: datetime.date
    status: str
    rows: int = 0
    created: int = 0
    renamed: int = 0
    dropped: int = 0
    warnings: list[str] = field(default_factory=list)


def import_paths(paths, *, progress=False):
    """Import every snapshot found in the files or folders, oldest first.

    A snapshot that fails raises StandingsFormatError after its transaction
    rolled back; the snapshots before it stay imported.
    """
    return [
        import_snapshot(snapshot, progress=progress)
        for snapshot in find_snapshots(paths)
    ]


def _game():
    return Game.objects.get(slug=settings.VRS_GAME_SLUG)


def _snapshot_time(date):
    return datetime.datetime.combine(date, datetime.time(), tzinfo=datetime.UTC)


def import_snapshot(snapshot, *, progress=False):
    started = timezone.now()
    try:
        result = _import_snapshot(snapshot, progress=progress)
    except StandingsFormatError as error:
        _log_run(snapshot.date, ImportRun.Status.FAILED, 0, str(error), started)
        raise
    _log_run(
        snapshot.date, result.status, result.rows, "\n".join(result.warnings), started
    )
    return result


def _log_run(date, status, rows, message, started):
    ImportRun.objects.create(
        snapshot_date=date,
        status=status,
        rows=rows,
        message=message,
        started_at=started,
        finished_at=timezone.now(),
    )
    logger.info(
        "standings import of %s: %s, %d rows, %.1fs",
        date,
        status,
        rows,
        (timezone.now() - started).total_seconds(),
    )


def _read_files(snapshot):
    if snapshot.global_path is None:
        files = ", ".join(
            sorted(path.name for path in snapshot.regional_paths.values())
        )
        first = next(iter(snapshot.regional_paths.values()))
        raise StandingsFormatError(
            first, 0, MSG_NO_GLOBAL.format(date=snapshot.date, files=files)
        )
    global_file = read_standings_file(snapshot.global_path)
    regional_files = [
        read_standings_file(path)
        for _scope, path in sorted(snapshot.regional_paths.items())
    ]
    return global_file, regional_files


def _row_identity(row):
    return row.details or (row.name, row.roster_key, row.points)


def _assign_regions(global_file, regional_files):
    """Return {global standing: (region scope, regional standing)}.

    Each regional row must match one global row, by its details link or by
    name, roster and points.
    """
    by_identity = {_row_identity(row): row for row in global_file.rows}
    assigned = {}
    for regional in regional_files:
        for row in regional.rows:
            match = by_identity.get(_row_identity(row))
            if match is None:
                raise StandingsFormatError(
                    row.path,
                    row.line,
                    MSG_ORPHAN_REGIONAL.format(
                        scope=row.scope, name=row.name, standing=row.standing
                    ),
                )
            if match.standing in assigned:
                raise StandingsFormatError(
                    row.path,
                    row.line,
                    MSG_TWO_REGIONS.format(
                        name=row.name,
                        first=assigned[match.standing][0],
                        second=row.scope,
                    ),
                )
            assigned[match.standing] = (row.scope, row.standing)
    return assigned


def _regions(scopes):
    regions = {}
    for scope in scopes:
        regions[scope], _created = Region.objects.get_or_create(
            slug=scope, defaults={"name": scope.replace("-", " ").title()}
        )
    return regions


def _known_teams():
    return [
        KnownTeam(
            team_id=imported.team_id,
            name=imported.published_name,
            nicknames=frozenset(nickname.casefold() for nickname in imported.nicknames),
            standing=imported.last_standing,
        )
        # A team that staff disbanded continues no row; its players start anew.
        for imported in ImportedTeam.objects.filter(team__disbanded_at__isnull=True)
    ]


def _row_teams(date, rows):
    """Map each row to a team id: through the stored record, or by matching."""
    recorded = dict(
        ImportedRow.objects.filter(date=date).values_list("standing", "team_id")
    )
    if recorded:
        return recorded
    latest = (
        ImportedRow.objects.order_by("-date").values_list("date", flat=True).first()
    )
    if latest is not None and latest > date:
        raise StandingsFormatError(
            "", 0, MSG_OLDER_THAN_IMPORTED.format(date=date, latest=latest)
        )
    return match_rows(rows, _known_teams())


def _already_superseded(date):
    """True when this date was imported and a newer snapshot came after it."""
    return (
        ImportedRow.objects.filter(date=date).exists()
        and ImportedRow.objects.filter(date__gt=date).exists()
    )


def _import_snapshot(snapshot, *, progress):
    global_file, regional_files = _read_files(snapshot)
    date = snapshot.date
    region_of = _assign_regions(global_file, regional_files)
    rows = global_file.rows
    result = SnapshotResult(
        date=date, status=ImportRun.Status.UNCHANGED, rows=len(rows)
    )
    if _already_superseded(date):
        return result
    game = _game()
    with transaction.atomic():
        regions = _regions({regional.scope for regional in regional_files})
        mapping = _row_teams(date, rows)
        at = _snapshot_time(date)
        teams_by_standing = {}
        changes_before = _change_marker(game)
        bar = tqdm(rows, desc=f"{date}", unit="team", disable=not progress, leave=False)
        for row in bar:
            scope, regional_standing = region_of.get(row.standing, (None, None))
            region = regions.get(scope)
            team = _import_row(row, mapping.get(row.standing), region, at, result)
            teams_by_standing[row.standing] = team
            _record_row(date, row, team, region, regional_standing)
        result.dropped = _drop_missing(date, teams_by_standing, at)
        _import_details(global_file, teams_by_standing, date, result)
        rank_game(
            game,
            source=RankingSnapshot.Source.IMPORT,
            date=date,
            note=f"Valve Regional Standings of {date}",
        )
        if _change_marker(game) != changes_before or result.created:
            result.status = ImportRun.Status.IMPORTED
    for warning in result.warnings:
        logger.warning("standings import: %s", warning)
    return result


def _change_marker(game):
    """Return a cheap fingerprint that changes when an import wrote anything."""
    return (
        ImportedRow.objects.count(),
        Team.objects.filter(game=game).count(),
        RankingSnapshot.objects.filter(game=game).count(),
        sum(Team.objects.filter(game=game).values_list("total_points", flat=True)),
        TeamMatch.objects.count(),
    )


def _import_row(row, team_id, region, at, result):
    if team_id is None:
        team = team_create_imported(row.name, region=region)
        result.created += 1
        ImportedTeam.objects.create(
            team=team,
            published_name=row.name,
            nicknames=list(row.roster),
            first_seen=at.date(),
            last_seen=at.date(),
            last_standing=row.standing,
        )
    else:
        team = Team.objects.select_related("imported").get(pk=team_id)
        if not team.is_active:
            # A rerun of a snapshot whose team staff disbanded since: the
            # disbanded team keeps its history untouched.
            return team
        if team.imported.published_name != row.name:
            team_rename_imported(team, row.name, at=at)
            result.renamed += 1
        if region is not None and team.region_id != region.pk:
            Team.objects.filter(pk=team.pk).update(region=region)
            team.region = region
        imported = team.imported
        if (
            imported.published_name != row.name
            or imported.nicknames != list(row.roster)
            or imported.last_standing != row.standing
            or imported.last_seen != at.date()
        ):
            imported.published_name = row.name
            imported.nicknames = list(row.roster)
            imported.last_standing = row.standing
            imported.last_seen = max(imported.last_seen, at.date())
            imported.save()
    roster_sync(team, row.roster, at=at)
    ledger_add(
        team,
        amount=row.points - team.total_points,
        source="import",
        reason=f"Valve Regional Standings of {at.date()}: {row.points} points",
        idempotency_key=f"vrs:{at.date()}:{team.pk}",
        created_at=at,
    )
    ranking_set_published_standing(team, row.standing)
    return team


def _record_row(date, row, team, region, regional_standing):
    ImportedRow.objects.get_or_create(
        date=date,
        standing=row.standing,
        defaults={
            "team": team,
            "name": row.name,
            "roster": list(row.roster),
            "points": row.points,
            "region": region,
            "regional_standing": regional_standing,
        },
    )


def _drop_missing(date, teams_by_standing, at):
    """Take imported teams missing from this snapshot down to 0 and unranked."""
    present = {team.pk for team in teams_by_standing.values()}
    missing = (
        Team.objects.filter(imported__isnull=False, disbanded_at__isnull=True)
        .exclude(pk__in=present)
        .select_related("ranking")
    )
    dropped = 0
    for team in missing:
        standing = getattr(getattr(team, "ranking", None), "published_standing", None)
        if team.total_points == 0 and standing is None:
            continue
        ledger_add(
            team,
            amount=-team.total_points,
            source="import",
            reason=f"Valve Regional Standings of {date}: not listed",
            idempotency_key=f"vrs:{date}:{team.pk}",
            created_at=at,
        )
        ranking_set_published_standing(team, None)
        dropped += 1
    return dropped


def _import_details(global_file, teams_by_standing, date, result):
    """Read the details file of each row; a missing one is only a warning."""
    names = {}
    for row in global_file.rows:
        names.setdefault(row.name, []).append(teams_by_standing[row.standing])
    opponent_of = {name: teams[0] for name, teams in names.items() if len(teams) == 1}
    base = global_file.path.parent
    missing_folders = set()
    for row in global_file.rows:
        if not row.details:
            continue
        path = base / row.details
        if not path.parent.is_dir():
            # One warning for a snapshot published without its details folder.
            if path.parent not in missing_folders:
                missing_folders.add(path.parent)
                result.warnings.append(
                    MSG_DETAILS_FOLDER_MISSING.format(path=path.parent)
                )
            continue
        if not path.is_file():
            result.warnings.append(MSG_DETAILS_MISSING.format(path=path))
            continue
        details = read_details_file(path)
        team = teams_by_standing[row.standing]
        breakdown = _save_breakdown(team, date, details)
        _save_matches(team, date, details, opponent_of)
        _save_record(team, breakdown)


def _save_breakdown(team, date, details):
    values = {
        "region_name": details.region,
        "regional_rank": details.regional_rank,
        **{key: details.values.get(key) for key in (
            "final_value", "starting_value", "head_to_head", "factor_average",
        )},
        **{key: details.factors.get(key) for key in (
            "bounty_offered", "bounty_collected", "opponent_network", "lan_wins",
        )},
    }  # fmt: skip
    breakdown = RankBreakdown.objects.filter(team=team, date=date).first()
    if breakdown is None:
        return RankBreakdown.objects.create(team=team, date=date, **values)
    if any(getattr(breakdown, key) != value for key, value in values.items()):
        RankBreakdown.objects.filter(pk=breakdown.pk).update(**values)
    return breakdown


def _save_record(team, breakdown):
    """Store the team's match record and latest breakdown on its import row."""
    results = list(
        team.vrs_matches.order_by("-date", "-match_id").values_list("won", flat=True)
    )
    record = match_record(results)
    ImportedTeam.objects.filter(team=team).update(
        wins=record.wins,
        losses=record.losses,
        streak=record.streak,
        latest_breakdown=breakdown,
    )


def _save_matches(team, date, details, opponent_of):
    stored = set(team.vrs_matches.values_list("match_id", flat=True))
    new = []
    for match in details.matches:
        if match.match_id in stored:
            continue
        stored.add(match.match_id)
        opponent = opponent_of.get(match.opponent)
        new.append(
            TeamMatch(
                team=team,
                match_id=match.match_id,
                date=match.date,
                opponent_name=match.opponent,
                opponent=opponent
                if opponent is not None and opponent != team
                else None,
                won=match.won,
                head_to_head=match.head_to_head,
                roster=list(match.roster),
                snapshot_date=date,
            )
        )
    TeamMatch.objects.bulk_create(new, batch_size=500)
