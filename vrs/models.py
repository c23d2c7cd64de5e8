from django.db import models


class ImportedTeam(models.Model):
    """A team created by the standings import, as its latest row left it."""

    team = models.OneToOneField(
        "teams.Team", on_delete=models.CASCADE, related_name="imported"
    )
    published_name = models.CharField(max_length=128)
    nicknames = models.JSONField(default=list)
    first_seen = models.DateField()
    last_seen = models.DateField()
    last_standing = models.PositiveIntegerField()
    # The match record and the latest breakdown, kept here so the team page
    # reads them with the team row instead of with queries of their own.
    wins = models.PositiveIntegerField(default=0)
    losses = models.PositiveIntegerField(default=0)
    streak = models.CharField(max_length=8, blank=True, help_text='For example "W3".')
    latest_breakdown = models.ForeignKey(
        "RankBreakdown",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self):
        return self.published_name

    @property
    def played(self):
        return self.wins + self.losses

    @property
    def win_rate(self):
        """Percentage of matches won, rounded; None before any match."""
        return round(100 * self.wins / self.played) if self.played else None


class ImportedPlayer(models.Model):
    """A nickname of an imported roster and the profile that plays under it.

    The import pairs published nicknames through these rows, not through
    profile handles, so a profile that staff hand to an account (which then
    takes the account's handle) keeps its place in the roster.
    """

    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="imported_players"
    )
    profile = models.ForeignKey(
        "accounts.Profile", on_delete=models.CASCADE, related_name="imported_as"
    )
    # The latest published spelling.
    nickname = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "profile"], name="vrs_player_one_per_team_profile"
            ),
        ]

    def __str__(self):
        return f"{self.nickname} ({self.team_id})"


class ImportedRow(models.Model):
    """One row of a global standings file and the team it was mapped to.

    Reruns map rows through these records, so importing again changes nothing.
    """

    date = models.DateField()
    standing = models.PositiveIntegerField()
    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="imported_rows"
    )
    name = models.CharField(max_length=128)
    roster = models.JSONField(default=list)
    points = models.IntegerField()
    region = models.ForeignKey(
        "games.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    regional_standing = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["date", "standing"], name="vrs_row_one_per_standing"
            ),
            models.UniqueConstraint(
                fields=["date", "team"], name="vrs_row_one_per_team"
            ),
        ]
        indexes = [models.Index(fields=["team", "-date"], name="vrs_row_team_date")]
        ordering = ["date", "standing"]

    def __str__(self):
        return f"{self.date} #{self.standing} {self.name}"


class TeamMatch(models.Model):
    """A match that counted towards a team's points, from its details file."""

    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="vrs_matches"
    )
    match_id = models.PositiveIntegerField()
    date = models.DateField()
    opponent_name = models.CharField(max_length=128)
    # Set only when the published opponent name belongs to exactly one row.
    opponent = models.ForeignKey(
        "teams.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    won = models.BooleanField()
    head_to_head = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True
    )
    roster = models.JSONField(default=list)
    snapshot_date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "match_id"], name="vrs_match_one_per_team"
            ),
        ]
        indexes = [models.Index(fields=["team", "-date"], name="vrs_match_team_date")]
        ordering = ["-date", "-match_id"]

    def __str__(self):
        return f"{self.match_id}: {self.team} vs {self.opponent_name}"


class RankBreakdown(models.Model):
    """The published factors behind a team's points on one snapshot date."""

    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="vrs_breakdowns"
    )
    date = models.DateField()
    region_name = models.CharField(max_length=64, blank=True)
    regional_rank = models.PositiveIntegerField(null=True, blank=True)
    final_value = models.DecimalField(max_digits=8, decimal_places=1, null=True)
    starting_value = models.DecimalField(max_digits=8, decimal_places=1, null=True)
    head_to_head = models.DecimalField(max_digits=8, decimal_places=1, null=True)
    factor_average = models.DecimalField(max_digits=6, decimal_places=3, null=True)
    bounty_offered = models.DecimalField(max_digits=6, decimal_places=3, null=True)
    bounty_collected = models.DecimalField(max_digits=6, decimal_places=3, null=True)
    opponent_network = models.DecimalField(max_digits=6, decimal_places=3, null=True)
    lan_wins = models.DecimalField(max_digits=6, decimal_places=3, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "date"], name="vrs_breakdown_one_per_date"
            ),
        ]

    def __str__(self):
        return f"{self.team} on {self.date}"


class ImportRun(models.Model):
    """The import log: one line per snapshot an import attempted."""

    class Status(models.TextChoices):
        IMPORTED = "imported", "Imported"
        UNCHANGED = "unchanged", "Unchanged"
        FAILED = "failed", "Failed"

    snapshot_date = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices)
    rows = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.snapshot_date} {self.status}"
