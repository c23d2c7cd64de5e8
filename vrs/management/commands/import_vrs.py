from django.core.management.base import BaseCommand, CommandError

from vrs.parsing import StandingsFormatError, find_snapshots
from vrs.services import import_snapshot


class Command(BaseCommand):
    help = (
        "Import Valve Regional Standings snapshots from standings files or "
        "folders. Each date imports in one transaction, oldest first."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="standings files or folders")
        parser.add_argument(
            "--no-progress", action="store_true", help="hide the progress bar"
        )

    def handle(self, *args, **options):
        try:
            snapshots = find_snapshots(options["paths"])
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        if not snapshots:
            raise CommandError("No standings files found in the given paths.")
        for snapshot in snapshots:
            try:
                result = import_snapshot(snapshot, progress=not options["no_progress"])
            except StandingsFormatError as error:
                raise CommandError(
                    f"Import of {snapshot.date} stopped, nothing of it was kept: "
                    f"{error}"
                ) from error
            for warning in result.warnings:
                self.stderr.write(self.style.WARNING(f"warning: {warning}"))
            self.stdout.write(
                f"{result.date}: {result.status}, {result.rows} rows, "
                f"{result.created} teams created, {result.renamed} renamed, "
                f"{result.dropped} dropped"
            )
