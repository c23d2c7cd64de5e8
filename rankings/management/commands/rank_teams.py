from django.core.management.base import BaseCommand, CommandError

from games.models import Game
from rankings.services import rank_teams


class Command(BaseCommand):
    help = (
        "Recompute team totals from the points ledger, rank every team per game "
        "and region, and write a snapshot where the ranking changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--game", metavar="SLUG", help="Rank one game (default: every active game)."
        )

    def handle(self, *args, game=None, **options):
        try:
            results = rank_teams(game)
        except Game.DoesNotExist as error:
            raise CommandError(str(error)) from error
        for result in results:
            fixed = ", ".join(
                f"team {team_id}: {old} -> {new}"
                for team_id, (old, new) in sorted(result.totals_fixed.items())
            )
            snapshot = (
                f"snapshot {result.snapshot.pk} written"
                if result.snapshot
                else "no change, no snapshot"
            )
            self.stdout.write(
                f"{result.game.slug}: {result.rows_created} rankings created, "
                f"{result.rows_updated} updated, {snapshot}"
                + (f"; totals fixed ({fixed})" if fixed else "")
            )
