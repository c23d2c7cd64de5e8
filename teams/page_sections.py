"""Sections of the team page that other apps own: history, points, matches.

The teams app composes them here, so each app keeps its own reads. The
page's query count stays fixed: two queries for the roster history, two for
the points history and ledger, and three more only for an imported team.
"""

from django.core.exceptions import ObjectDoesNotExist

from roster.selectors import team_roster_history
from vrs.selectors import imported_team_sections, team_points_sections


def _imported(team):
    try:
        return team.imported
    except ObjectDoesNotExist:
        return None


def team_page_sections(team):
    """Return the extra template context of a fully visible team page."""
    history = team_roster_history(team)
    sections = {"alumni": history.alumni, "timeline": history.timeline}
    sections.update(team_points_sections(team))
    if _imported(team) is not None:
        sections.update(imported_team_sections(team))
    return sections
