"""Record each existing non-zero team total as an opening ledger entry.

Totals from before the ledger stay as they are. The entry makes them equal to
the sum of the team's entries, so the ranking job finds no drift.
"""

from django.db import migrations
from django.utils import timezone


def create_opening_entries(apps, schema_editor):
    Team = apps.get_model("teams", "Team")
    LedgerEntry = apps.get_model("rankings", "LedgerEntry")
    now = timezone.now()
    teams = Team.objects.exclude(total_points=0).values_list("pk", "total_points")
    entries = [
        LedgerEntry(
            team_id=team_id,
            amount=total,
            source="opening",
            reason="Opening balance: points held before the ledger existed.",
            idempotency_key=f"opening:{team_id}",
            created_at=now,
        )
        for team_id, total in teams.iterator()
    ]
    LedgerEntry.objects.bulk_create(entries, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("rankings", "0001_initial")]

    operations = [
        migrations.RunPython(create_opening_entries, migrations.RunPython.noop),
    ]
