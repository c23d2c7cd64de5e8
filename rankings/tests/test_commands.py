import csv
import io

import pytest
from django.core.management import CommandError, call_command

from accounts.tests.factories import GameAccountFactory, UnclaimedProfileFactory
from rankings.selectors import leaderboard_page
from rankings.services import rank_game
from teams.models import Team
from teams.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _run(*args):
    output = io.StringIO()
    call_command("leaderboard", *args, stdout=output)
    return output.getvalue()


@pytest.fixture
def board(cs2, make_team, europe, asia):
    top = make_team("Top Dogs", 90, region=europe)
    captain = MembershipFactory(
        team=top, role="captain", profile=UnclaimedProfileFactory(handle="capo")
    )
    GameAccountFactory(profile=captain.profile, game=cs2, in_game_name="CapoIGN")
    MembershipFactory(team=top, profile=UnclaimedProfileFactory(handle="second"))
    make_team("=SUM(A1)", 50, region=asia)
    make_team("Élan", 50, region=europe)
    secret = make_team("Secret", 40, region=europe, privacy=Team.Privacy.PRIVATE)
    MembershipFactory(team=secret, profile=UnclaimedProfileFactory(handle="hidden"))
    make_team("Zero Points", 0, region=europe)
    rank_game(cs2)
    return cs2


def test_csv_header_and_rows(board):
    rows = list(csv.reader(io.StringIO(_run("--game", "cs2", "--format", "csv"))))
    assert rows[0] == ["rank", "points", "team", "roster"]
    assert rows[1:] == [
        ["1", "90", "Top Dogs", "CapoIGN, second"],
        ["2", "50", "'=SUM(A1)", ""],
        ["3", "50", "Élan", ""],
        ["", "0", "Zero Points", ""],
    ]


@pytest.mark.parametrize("region", [None, "europe"])
def test_csv_matches_page_order(board, user, region):
    args = ["--game", "cs2", "--format", "csv"]
    if region:
        args += ["--region", region]
    rows = list(csv.reader(io.StringIO(_run(*args))))[1:]

    page = leaderboard_page(user=user, game_slug="cs2", region_slug=region)

    assert [row[2].lstrip("'") for row in rows] == [r.team.name for r in page.rows]
    assert [row[0] for row in rows] == [
        "" if r.rank is None else str(r.rank) for r in page.rows
    ]


def test_csv_region_ranks(board):
    args = ["--game", "cs2", "--region", "europe", "--format", "csv"]
    rows = list(csv.reader(io.StringIO(_run(*args))))[1:]
    assert [(row[0], row[2]) for row in rows] == [
        ("1", "Top Dogs"),
        ("2", "Élan"),
        ("", "Zero Points"),
    ]


def test_limit(board):
    rows = list(csv.reader(io.StringIO(_run("--game", "cs2", "--format", "csv",
                                            "--limit", "2"))))  # fmt: skip
    assert [row[2] for row in rows[1:]] == ["Top Dogs", "'=SUM(A1)"]


def test_table_format(board):
    lines = _run("--game", "cs2").splitlines()
    assert lines[0].split() == ["rank", "points", "team", "roster"]
    assert "Top Dogs" in lines[1]
    assert "CapoIGN, second" in lines[1]
    assert lines[1].split()[0] == "1"
    assert lines[-1].split()[0] == "0"  # an unranked row starts with its points


@pytest.mark.parametrize("output_format", ["table", "csv"])
def test_private_team_left_out(board, output_format):
    output = _run("--game", "cs2", "--format", output_format)
    assert "Secret" not in output
    assert "hidden" not in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--game", "chess"], "No game with the slug 'chess'."),
        (["--game", "cs2", "--region", "mars"], "No region with the slug 'mars'."),
        (["--game", "cs2", "--limit", "0"], "Invalid --limit 0"),
    ],
)
def test_bad_arguments(board, args, message):
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        _run(*args)
