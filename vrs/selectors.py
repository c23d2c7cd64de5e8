"""Reads for the team page of an imported team."""

from core.charts import line_chart_svg
from rankings.models import LedgerEntry, SnapshotEntry

from .models import TeamMatch

RECENT_MATCHES = 10
RECENT_LEDGER_ENTRIES = 8


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

    One query, for the recent matches: the record and the latest breakdown
    come with ``team.imported``, which the page loads with the team
    (select_related "imported__latest_breakdown").
    """
    matches = list(
        TeamMatch.objects.filter(team=team)
        .select_related("opponent")
        .order_by("-date", "-match_id")[:RECENT_MATCHES]
    )
    return {
        "record": team.imported,
        "matches": matches,
        "breakdown": team.imported.latest_breakdown,
    }
