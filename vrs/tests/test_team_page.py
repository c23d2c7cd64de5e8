"""The team page of an imported team: its sections and its query budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from teams.models import Team
from vrs.services import import_paths

from .conftest import write_standings

pytestmark = pytest.mark.django_db

DETAILS_HEAD = (
    "Region: [Europe]( ../../standings_europe_2026_01_05.md)<br />\n"
    "Regional Rank: [{rank}]( ../../standings_europe_2026_01_05.md)<br />\n"
    "Final Rank Value:  {points}.4<br />\n"
    "Final Rank Value ({points}.4) = Starting Rank Value ({points}.0) + "
    "Head To Head Adjustments (0.4)<br />\n"
    "- Bounty Offered: 0.500[<sup>1</sup>](#table2)\n"
    "- Bounty Collected: 0.400[<sup>2</sup>](#table1)\n"
    "- Opponent Network: 0.300[<sup>2</sup>](#table1)\n"
    "- LAN Wins: 0.200[<sup>2</sup>](#table1)\n"
    "The average of these factors is 0.350<br />\n\n"
    "| Match Played | Match ID | Date | Opponent | W/L | H2H Adj. | Roster |\n"
    "| -: | -: | :- | :- | :- | -: | :- |\n"
)


def _details(folder, name, rank, points, results):
    rows = "".join(
        f"| {n} | {100 * rank + n} | 2026-01-0{n} | Rival | {result} | 1.00 | a |\n"
        for n, result in enumerate(results, start=1)
    )
    path = folder / f"{rank:04d}--{name}.md"
    path.write_text(DETAILS_HEAD.format(rank=rank, points=points) + rows)
    return f"details/2026_01_05/{path.name}"


@pytest.fixture
def imported_teams(standings_folder):
    details = standings_folder / "details" / "2026_01_05"
    details.mkdir(parents=True)
    rows = [
        (1, 900, "Short Record", ["a1", "a2", "a3"],
         _details(details, "short", 1, 900, "WL")),
        (2, 800, "Long Record", ["b1", "b2", "b3", "b4", "b5", "b6", "b7"],
         _details(details, "long", 2, 800, "WWWLWLLWW")),
        (3, 700, "Rival", ["r1", "r2", "r3"]),
    ]  # fmt: skip
    write_standings(standings_folder, "global", "2026-01-05", rows)
    write_standings(standings_folder, "europe", "2026-01-05", rows)
    import_paths([standings_folder])
    return Team.objects.get(name="Short Record"), Team.objects.get(name="Long Record")


def _count_queries(client, team):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/teams/{team.slug}/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_imported_page_sections(client, imported_teams):
    short, _long = imported_teams
    _count, page = _count_queries(client, short)
    assert "Points history" in page
    assert "<svg" in page
    assert "Why this rank" in page
    assert "Bounty offered" in page
    assert "1 wins, 1 losses (50%)" in page
    assert "Recent matches" in page
    assert "Valve's Regional Standings" in page
    assert "HLTV.org" in page


def test_imported_record_and_streak(imported_teams):
    _short, long = imported_teams
    assert (long.imported.wins, long.imported.losses) == (6, 3)
    assert long.imported.streak == "W2"
    assert long.imported.latest_breakdown.regional_rank == 2


def test_imported_page_query_budget(client, imported_teams):
    short, long = imported_teams
    # Anonymous: 1 team with ranking, import row and breakdown; 2 roster;
    # 3 roster events; 4 former members; 5 points history; 6 ledger entries;
    # 7 recent matches.
    anonymous = [_count_queries(client, team)[0] for team in (short, long)]
    assert anonymous[0] == anonymous[1]
    assert anonymous[0] <= 7, anonymous
    # Signed in, also: the session, the user and the unread count.
    client.force_login(UserFactory())
    signed_in = [_count_queries(client, team)[0] for team in (short, long)]
    assert signed_in[0] == signed_in[1]
    assert signed_in[0] <= 10, signed_in
