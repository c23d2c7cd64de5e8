"""The importer on small crafted standings files."""

import pytest

from accounts.models import Profile
from accounts.services import profile_claim
from accounts.tests.factories import UserFactory
from rankings.models import LedgerEntry, RankingSnapshot
from roster.models import RosterEvent
from roster.services import roster_leave
from teams.models import Membership, Team, TeamSlug
from teams.services import team_disband
from vrs.models import ImportedRow, ImportRun, TeamMatch
from vrs.parsing import StandingsFormatError
from vrs.services import import_paths

from .conftest import write_standings

pytestmark = pytest.mark.django_db

JAN = "2026-01-05"
FEB = "2026-02-02"
MAR = "2026-03-02"


def snapshot(folder, date, rows, regions=None):
    """Write a global file and regional files; regions maps scope -> standings."""
    write_standings(folder, "global", date, rows)
    regions = regions or {"europe": [row[0] for row in rows]}
    for scope, standings in regions.items():
        regional = [
            (position, *row[1:])
            for position, row in enumerate(
                (row for row in rows if row[0] in standings), start=1
            )
        ]
        write_standings(folder, scope, date, regional)


def active_roster(team):
    return sorted(
        Membership.objects.filter(team=team, status="active").values_list(
            "profile__handle", flat=True
        )
    )


def team_named(name):
    return Team.objects.get(name=name, game__slug="cs2")


def test_duplicate_names_get_numbers(standings_folder):
    snapshot(
        standings_folder,
        JAN,
        [
            (1, 900, "ENCE", ["a1", "a2", "a3", "a4", "a5"]),
            (2, 800, "ENCE", ["b1", "b2", "b3", "b4", "b5"]),
            (3, 700, "ЕNCE", ["c1", "c2", "c3", "c4", "c5"]),  # Cyrillic Е
        ],
    )
    import_paths([standings_folder])
    assert active_roster(team_named("ENCE")) == ["a1", "a2", "a3", "a4", "a5"]
    assert active_roster(team_named("ENCE (2)")) == ["b1", "b2", "b3", "b4", "b5"]
    assert active_roster(team_named("ЕNCE (3)")) == ["c1", "c2", "c3", "c4", "c5"]


def test_numbered_name_is_kept(standings_folder):
    rows = [
        (1, 900, "ENCE", ["a1", "a2", "a3", "a4", "a5"]),
        (2, 800, "ENCE", ["b1", "b2", "b3", "b4", "b5"]),
    ]
    snapshot(standings_folder, JAN, rows)
    # The first roster drops out; the second keeps its numbered name.
    snapshot(standings_folder, FEB, [(1, 850, "ENCE", ["b1", "b2", "b3", "b4", "b5"])])
    import_paths([standings_folder])
    second = team_named("ENCE (2)")
    assert second.total_points == 850
    assert team_named("ENCE").total_points == 0


def test_non_ascii_names_keep_spelling(standings_folder):
    snapshot(
        standings_folder,
        JAN,
        [
            (1, 900, "Frøslev", ["a1", "a2", "a3", "a4", "a5"]),
            (2, 800, "Famalicão", ["b1", "b2", "b3", "b4", "b5"]),
            (3, 700, "ex-KRÜ", ["c1", "c2", "c3", "c4", "c5"]),
        ],
    )
    import_paths([standings_folder])
    assert team_named("Frøslev").slug == "froslev"
    assert team_named("Famalicão").slug == "famalicao"
    assert team_named("ex-KRÜ").slug == "ex-kru"


def test_nicknames_differing_by_case_are_two_players(standings_folder):
    snapshot(
        standings_folder,
        JAN,
        [(1, 900, "Casey", ["abc", "ABC", "x1", "x2", "x3"])],
    )
    import_paths([standings_folder])
    team = team_named("Casey")
    assert active_roster(team) == ["ABC", "abc", "x1", "x2", "x3"]
    assert Profile.objects.filter(handle__iexact="abc").count() == 2


def test_nickname_case_change_keeps_profile(standings_folder):
    snapshot(standings_folder, JAN, [(1, 900, "Casey", ["zywoo", "x1", "x2"])])
    snapshot(standings_folder, FEB, [(1, 950, "Casey", ["ZywOo", "x1", "x2"])])
    import_paths([standings_folder])
    team = team_named("Casey")
    assert active_roster(team) == ["ZywOo", "x1", "x2"]
    assert Profile.objects.filter(handle__iexact="zywoo").count() == 1
    assert not RosterEvent.objects.filter(team=team, kind="left").exists()


def test_same_nickname_on_two_teams_is_two_profiles(standings_folder):
    snapshot(
        standings_folder,
        JAN,
        [
            (1, 900, "One", ["max", "a2", "a3", "a4", "a5"]),
            (2, 800, "Two", ["max", "b2", "b3", "b4", "b5"]),
        ],
    )
    import_paths([standings_folder])
    assert Profile.objects.filter(handle="max", user__isnull=True).count() == 2


def test_two_player_roster_continues(standings_folder):
    snapshot(standings_folder, JAN, [(1, 500, "Duo", ["p1", "p2"])])
    snapshot(standings_folder, FEB, [(1, 520, "Duo Renamed", ["p1", "P2"])])
    import_paths([standings_folder])
    assert Team.objects.filter(game__slug="cs2").count() == 1
    team = Team.objects.get(game__slug="cs2")
    assert team.name == "Duo Renamed"
    assert active_roster(team) == ["P2", "p1"]


def test_rename_redirects_old_slug(standings_folder, client):
    snapshot(standings_folder, JAN, [(1, 900, "Old Name", ["a1", "a2", "a3", "a4"])])
    snapshot(standings_folder, FEB, [(1, 910, "New Name", ["a1", "a2", "a3", "a9"])])
    import_paths([standings_folder])
    team = team_named("New Name")
    assert TeamSlug.objects.filter(slug="old-name", team=team).exists()
    response = client.get("/teams/old-name/")
    assert response.status_code == 301
    assert response["Location"].endswith(f"/teams/{team.slug}/")
    assert set(
        RosterEvent.objects.filter(team=team).values_list("kind", "profile__handle")
    ) >= {("left", "a4"), ("joined", "a9")}


def test_roster_drops_out_and_returns(standings_folder):
    players = ["r1", "r2", "r3", "r4", "r5"]
    snapshot(standings_folder, JAN, [(1, 900, "Comeback", players)])
    snapshot(standings_folder, FEB, [(1, 400, "Other", ["o1", "o2", "o3"])])
    snapshot(
        standings_folder,
        MAR,
        [(2, 300, "Comeback", players), (1, 500, "Other", ["o1", "o2", "o3"])],
    )
    import_paths([standings_folder])
    team = team_named("Comeback")
    assert Team.objects.filter(name__startswith="Comeback").count() == 1
    assert team.total_points == 300
    assert team.ranking.published_standing == 2
    february = RankingSnapshot.objects.get(date=FEB, source="import")
    assert not february.entries.filter(team=team, rank__isnull=False).exists()
    march = RankingSnapshot.objects.get(date=MAR, source="import")
    assert march.entries.get(team=team).rank == 2
    amounts = list(
        LedgerEntry.objects.filter(team=team)
        .order_by("created_at")
        .values_list("amount", flat=True)
    )
    assert amounts == [900, -900, 300]


def test_malformed_row_keeps_database_unchanged(standings_folder):
    snapshot(standings_folder, JAN, [(1, 900, "Fine", ["a1", "a2", "a3"])])
    import_paths(
        [
            standings_folder / f"standings_global_{JAN.replace('-', '_')}.md",
            standings_folder / f"standings_europe_{JAN.replace('-', '_')}.md",
        ]
    )
    counts = (
        Team.objects.count(),
        LedgerEntry.objects.count(),
        ImportedRow.objects.count(),
    )
    path = write_standings(
        standings_folder,
        "global",
        FEB,
        [(1, 900, "Fine", ["a1", "a2", "a3"]), (2, 800, "Good", ["b1", "b2", "b3"])],
    )
    lines = path.read_text().splitlines()
    lines.insert(6, "| 2        |   lots | Broken               | c1, c2 |  |")
    lines[7] = lines[7].replace("| 2 ", "| 3 ")
    path.write_text("\n".join(lines))
    with pytest.raises(StandingsFormatError) as raised:
        import_paths([standings_folder])
    assert raised.value.path == path
    assert raised.value.line == 7
    assert "points 'lots' is not a number" in str(raised.value)
    assert str(path) in str(raised.value)
    after = (
        Team.objects.count(),
        LedgerEntry.objects.count(),
        ImportedRow.objects.count(),
    )
    assert after == counts
    assert ImportRun.objects.filter(snapshot_date=FEB, status="failed").exists()


def test_regional_row_without_global_row_stops(standings_folder):
    write_standings(
        standings_folder, "global", JAN, [(1, 900, "Real", ["a1", "a2", "a3"])]
    )
    regional = write_standings(
        standings_folder, "europe", JAN, [(1, 900, "Ghost", ["g1", "g2", "g3"])]
    )
    with pytest.raises(StandingsFormatError) as raised:
        import_paths([standings_folder])
    assert raised.value.path == regional
    assert raised.value.line == 6
    assert Team.objects.count() == 0


def test_file_without_table_stops(standings_folder):
    path = standings_folder / "standings_global_2026_01_05.md"
    path.write_text("# Not standings\n\n| a | b |\n| - | - |\n| 1 | 2 |\n")
    with pytest.raises(StandingsFormatError) as raised:
        import_paths([standings_folder])
    assert raised.value.line == 3
    assert "expected the header" in str(raised.value)


def test_regional_files_without_global_stop(standings_folder):
    write_standings(
        standings_folder, "europe", JAN, [(1, 900, "Real", ["a1", "a2", "a3"])]
    )
    with pytest.raises(StandingsFormatError, match="no global standings file"):
        import_paths([standings_folder])


def test_readme_is_ignored(standings_folder):
    (standings_folder / "README.md").write_text("| Standing | nothing |\n")
    snapshot(standings_folder, JAN, [(1, 900, "Real", ["a1", "a2", "a3"])])
    results = import_paths([standings_folder])
    assert [result.status for result in results] == ["imported"]


def test_missing_details_folder_is_one_warning(standings_folder):
    write_standings(
        standings_folder,
        "global",
        JAN,
        [
            (1, 900, "Real", ["a1", "a2", "a3"], "details/2026_01_05/0001--real.md"),
            (2, 800, "Other", ["b1", "b2", "b3"], "details/2026_01_05/0002--other.md"),
        ],
    )
    [result] = import_paths([standings_folder])
    assert result.status == "imported"
    assert len(result.warnings) == 1
    assert "details folder missing" in result.warnings[0]


def test_missing_details_file_is_a_warning(standings_folder):
    (standings_folder / "details" / "2026_01_05").mkdir(parents=True)
    write_standings(
        standings_folder,
        "global",
        JAN,
        [(1, 900, "Real", ["a1", "a2", "a3"], "details/2026_01_05/0001--real.md")],
    )
    [result] = import_paths([standings_folder])
    assert result.status == "imported"
    assert len(result.warnings) == 1
    assert "details file missing" in result.warnings[0]
    assert TeamMatch.objects.count() == 0


def test_details_file_gives_matches_and_breakdown(standings_folder):
    details = standings_folder / "details" / "2026_01_05"
    details.mkdir(parents=True)
    (details / "0001--real.md").write_text(
        "Region: [Europe]( ../../standings_europe_2026_01_05.md)<br />\n"
        "Regional Rank: [1]( ../../standings_europe_2026_01_05.md)<br />\n"
        "Final Rank Value:  900.4<br />\n"
        "Final Rank Value (900.4) = Starting Rank Value (880.0) + "
        "Head To Head Adjustments (20.4)<br />\n"
        "- Bounty Offered: 0.500[<sup>1</sup>](#table2)\n"
        "- Bounty Collected: 0.400[<sup>2</sup>](#table1)\n"
        "- Opponent Network: 0.300[<sup>2</sup>](#table1)\n"
        "- LAN Wins: 0.200[<sup>2</sup>](#table1)\n"
        "The average of these factors is 0.350<br />\n\n"
        "| Match Played | Match ID | Date | Opponent | W/L | H2H Adj. | Roster |\n"
        "| -: | -: | :- | :- | :- | -: | :- |\n"
        "| 2 | 11 | 2026-01-02 | Other | W | 5.00 | a1, a2, a3 |\n"
        "| 1 | 10 | 2026-01-01 | Nobody | L | -3.10 | a1, a2, a3 |\n"
    )
    write_standings(
        standings_folder,
        "global",
        JAN,
        [
            (1, 900, "Real", ["a1", "a2", "a3"], "details/2026_01_05/0001--real.md"),
            (2, 800, "Other", ["o1", "o2", "o3"]),
        ],
    )
    import_paths([standings_folder])
    real = team_named("Real")
    matches = list(real.vrs_matches.order_by("match_id"))
    assert [match.match_id for match in matches] == [10, 11]
    assert matches[0].opponent is None
    assert matches[1].opponent == team_named("Other")
    assert matches[1].won is True
    breakdown = real.vrs_breakdowns.get()
    assert str(breakdown.final_value) == "900.4"
    assert str(breakdown.lan_wins) == "0.200"


def test_claimed_player_keeps_roster_place(standings_folder):
    snapshot(standings_folder, JAN, [(1, 900, "Claimers", ["a1", "a2", "a3"])])
    import_paths([standings_folder])
    team = team_named("Claimers")
    profile = Profile.objects.get(handle="a1", user__isnull=True)
    user = UserFactory(username="realplayer")
    profile_claim(profile, user)
    snapshot(standings_folder, FEB, [(1, 950, "Claimers", ["a1", "a2", "a3"])])
    import_paths([standings_folder])
    assert active_roster(team) == ["a2", "a3", "realplayer"]
    assert not RosterEvent.objects.filter(team=team, kind="left").exists()


def test_disbanded_team_is_not_continued(standings_folder):
    snapshot(standings_folder, JAN, [(1, 900, "Gone Team", ["g1", "g2", "g3"])])
    import_paths([standings_folder])
    old = team_named("Gone Team")
    team_disband(old)
    snapshot(standings_folder, FEB, [(1, 950, "Gone Team", ["g1", "g2", "g3"])])
    import_paths([standings_folder])
    new = Team.objects.get(name="Gone Team", disbanded_at__isnull=True)
    assert new.pk != old.pk
    assert new.total_points == 950
    assert active_roster(new) == ["g1", "g2", "g3"]
    old.refresh_from_db()
    assert old.total_points == 900
    assert not Membership.objects.filter(team=old, status="active").exists()


def test_claimed_player_who_left_is_not_put_back(standings_folder):
    snapshot(standings_folder, JAN, [(1, 900, "Leavers", ["a1", "a2", "a3"])])
    import_paths([standings_folder])
    team = team_named("Leavers")
    user = UserFactory(username="realplayer")
    profile_claim(Profile.objects.get(handle="a1", user__isnull=True), user)
    roster_leave(team, actor=user)
    snapshot(standings_folder, FEB, [(1, 950, "Leavers", ["a1", "a2", "a3"])])
    import_paths([standings_folder])
    assert active_roster(team) == ["a1", "a2", "a3"]
    assert not Membership.objects.filter(
        team=team, profile__user=user, status="active"
    ).exists()


def test_left_event_keeps_member_role(standings_folder):
    snapshot(standings_folder, JAN, [(1, 900, "Roles", ["a1", "a2", "a3", "a4"])])
    import_paths([standings_folder])
    team = team_named("Roles")
    Membership.objects.filter(team=team, profile__handle="a4").update(role="substitute")
    snapshot(standings_folder, FEB, [(1, 950, "Roles", ["a1", "a2", "a3"])])
    import_paths([standings_folder])
    event = RosterEvent.objects.get(team=team, kind="left")
    assert event.role == "substitute"
