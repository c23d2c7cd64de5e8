from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import AppendOnlyModel


class LedgerEntry(AppendOnlyModel):
    """One change to a team's points. A team's total is the sum of its entries."""

    class Source(models.TextChoices):
        ACHIEVEMENT = "achievement", "Achievement"
        MATCH = "match", "Match"
        IMPORT = "import", "Import"
        ADJUSTMENT = "adjustment", "Adjustment"
        OPENING = "opening", "Opening balance"

    team = models.ForeignKey(
        "teams.Team", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    amount = models.IntegerField()
    source = models.CharField(max_length=16, choices=Source.choices)
    reason = models.CharField(max_length=280)
    # Callers derive the key from what caused the entry (for example
    # "match:<id>:<team id>") so a retried award is stored once.
    idempotency_key = models.CharField(max_length=128, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "ledger entries"
        indexes = [
            models.Index(fields=["team", "-created_at"], name="rankings_ledger_team"),
        ]

    def __str__(self):
        return f"{self.amount:+d} to {self.team_id} ({self.source})"


# standing_order of a team without a published standing, so those teams sort
# after every team that has one (the largest PostgreSQL integer).
NO_STANDING = 2_147_483_647


class TeamRanking(models.Model):
    """A team's place on its game's leaderboard, as of the last ranking run.

    The ranking job writes every column except ``published_standing``, which
    imports of published rankings set. Two changes happen at once instead of
    waiting for the next run: a new team gets an unranked row when it is
    created, and a disbanded team leaves the board when it disbands.
    The board orders rows by (-points, standing_order, name_sort, team_id).
    """

    team = models.OneToOneField(
        "teams.Team",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="ranking",
    )
    game = models.ForeignKey("games.Game", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        "games.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(default=True)
    points = models.IntegerField(default=0)
    # Position in the latest imported ranking that listed the team; an
    # importer sets it with ranking_set_published_standing().
    published_standing = models.PositiveIntegerField(null=True, blank=True)
    # published_standing, or NO_STANDING when there is none: a non-null
    # column keeps the board's ORDER BY identical on both databases and
    # servable by one index.
    standing_order = models.IntegerField(default=NO_STANDING)
    # Copy of Team.name_sort, so one index covers the whole board order.
    name_sort = models.CharField(max_length=256, default="")
    # Ordinal rank in the game (1..N); null for a team without points.
    rank = models.PositiveIntegerField(null=True, blank=True)
    # Ordinal rank among the game's teams of the same region.
    regional_rank = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(
                fields=["game", "-points", "standing_order", "name_sort", "team"],
                condition=models.Q(is_active=True),
                name="rankings_board_order",
            ),
            models.Index(
                fields=[
                    "game",
                    "region",
                    "-points",
                    "standing_order",
                    "name_sort",
                    "team",
                ],
                condition=models.Q(is_active=True),
                name="rankings_region_board_order",
            ),  # fmt: skip
            models.Index(fields=["game", "rank"], name="rankings_game_rank"),
            models.Index(
                fields=["game", "region", "regional_rank"],
                name="rankings_region_rank",
            ),
        ]

    def __str__(self):
        return f"{self.team_id}: rank {self.rank} ({self.points} points)"


class RankingSnapshot(models.Model):
    """A dated record of a game's ranking, written by the ranking job or an import."""

    class Source(models.TextChoices):
        JOB = "job", "Ranking job"
        IMPORT = "import", "Import"

    game = models.ForeignKey(
        "games.Game", on_delete=models.PROTECT, related_name="ranking_snapshots"
    )
    taken_at = models.DateTimeField(default=timezone.now)
    # The day the ranking describes; for an import, the publication date.
    date = models.DateField()
    source = models.CharField(max_length=8, choices=Source.choices)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-date", "-taken_at", "-id"]
        indexes = [
            models.Index(
                fields=["game", "-date", "-taken_at", "-id"],
                name="rankings_snapshot_latest",
            ),
        ]

    def __str__(self):
        return f"{self.game_id} ranking of {self.date} ({self.source})"


class SnapshotEntry(models.Model):
    """One team's points and ranks in a snapshot."""

    snapshot = models.ForeignKey(
        RankingSnapshot, on_delete=models.CASCADE, related_name="entries"
    )
    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="snapshot_entries"
    )
    points = models.IntegerField()
    rank = models.PositiveIntegerField(null=True, blank=True)
    regional_rank = models.PositiveIntegerField(null=True, blank=True)
    region = models.ForeignKey(
        "games.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_standing = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "snapshot entries"
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "team"], name="rankings_snapshot_entry_once"
            ),
        ]
        indexes = [
            models.Index(fields=["team", "snapshot"], name="rankings_entry_team"),
        ]

    def __str__(self):
        return f"{self.team_id} in snapshot {self.snapshot_id}: rank {self.rank}"
