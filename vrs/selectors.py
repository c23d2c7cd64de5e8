"""Reads for the team page of an imported team."""

from dataclasses import dataclass

from core.charts import line_chart_svg
from rankings.models import LedgerEntry, SnapshotEntry

from .models import RankBreakdown, TeamMatch

RECENT_MATCHES = 10
RECENT_LEDGER_ENTRIES = 8


@dataclass(frozen=True)
class MatchRecord:
    wins: int
    losses: int
    streak: str  # "W3", "L1" or ""

    @property
    def played(self):
        return self.wins + self.losses

    @property
    def win_rate(self):
        return round(100 * self.wins / self.played) if self.played else None


def match_record(results):
    """Return wins, losses and the current streak from results, newest first."""
    wins = sum(1 for won in results if won)
    streak = 0
    for won in results:
        if won != results[0]:
            break
        streak += 1
    label = f"{'W' if results[0] else 'L'}{streak}" if results else ""
    return MatchRecord(wins=wins, losses=len(results) - wins, streak=label)


def team_points_history(team):
    """Return (date, points) per snapshot that listed the team, oldest first."""
    rows = (
        SnapshotEntry.objects.filter(team=team)
        .order_by("snapshot__date", "snapshot__taken_at")
        .values_list("snapshot__date", "points")
    )
    by_date = {}
    for date, points in rows:
        by_date[date] = points  # the latest snapshot of a day wins
    return sorted(by_date.items())


def team_points_sections(team):
    """Return the points chart and recent ledger entries of any team.

    Two queries: the points history and the recent ledger entries.
    """
    history = team_points_history(team)
    return {
        "ledger_entries": list(
            LedgerEntry.objects.filter(team=team).order_by("-created_at", "-pk")[
                :RECENT_LEDGER_ENTRIES
            ]
        ),
        "points_history": history,
        "points_chart": line_chart_svg(history, label="Points"),
    }


def imported_team_sections(team):
    """Return what the team page shows only for an imported team.

    Three queries: results, recent matches and the latest breakdown.
    """
    results = list(team.vrs_matches.values_list("won", flat=True))
    matches = list(
        TeamMatch.objects.filter(team=team)
        .select_related("opponent")
        .order_by("-date", "-match_id")[:RECENT_MATCHES]
    )
    breakdown = RankBreakdown.objects.filter(team=team).order_by("-date").first()
    return {
        "record": match_record(results),
        "matches": matches,
        "breakdown": breakdown,
    }
