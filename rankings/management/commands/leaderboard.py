import csv
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from games.models import Game, Region
from rankings.selectors import leaderboard_rows

CSV_HEADER = ["rank", "points", "team", "roster"]
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(value):
    """Prefix a cell that a spreadsheet would run as a formula with a quote."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class Command(BaseCommand):
    help = (
        "Print a game's leaderboard in the order of the leaderboard page. "
        "The roster lists each active member's in-game name for the game, or "
        "the profile handle when the member has no game account for it; "
        "private teams are not listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--game", metavar="SLUG", required=True)
        parser.add_argument(
            "--region",
            metavar="SLUG",
            help="Only teams of this region, with their region rank.",
        )
        parser.add_argument(
            "--limit",
            type=int,
            metavar="N",
            help="Print at most N teams (default: all).",
        )
        parser.add_argument(
            "--format", choices=["table", "csv"], default="table", dest="output_format"
        )

    def handle(self, *args, game, region, limit, output_format, **options):
        try:
            game_obj = Game.objects.get(slug=game)
        except Game.DoesNotExist as error:
            raise CommandError(f"No game with the slug {game!r}.") from error
        region_obj = None
        if region:
            try:
                region_obj = Region.objects.get(slug=region)
            except Region.DoesNotExist as error:
                raise CommandError(f"No region with the slug {region!r}.") from error
        if limit is not None and limit < 1:
            raise CommandError(f"Invalid --limit {limit}: use a number from 1.")

        rows = leaderboard_rows(game_obj, region_obj, limit=limit)
        try:
            if output_format == "csv":
                self._write_csv(rows)
            else:
                self._write_table(rows)
            self.stdout.flush()
        except BrokenPipeError:
            # The reader stopped early (for example "| head"): not an error.
            # Point stdout at /dev/null so the interpreter's final flush
            # does not raise again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())

    def _write_csv(self, rows):
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for row in rows:
            writer.writerow(
                [
                    "" if row.rank is None else row.rank,
                    row.ranking.points,
                    neutralize_formula(row.team.name),
                    neutralize_formula(", ".join(row.roster)),
                ]
            )

    def _write_table(self, rows):
        self.stdout.write(f"{'rank':>6}  {'points':>9}  {'team':<32}  roster")
        for row in rows:
            rank = "" if row.rank is None else str(row.rank)
            name = row.team.name
            if row.team.tag:
                name = f"{name} [{row.team.tag}]"
            roster = ", ".join(row.roster)
            self.stdout.write(
                f"{rank:>6}  {row.ranking.points:>9}  {name:<32}  {roster}".rstrip()
            )
