from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django_countries.fields import CountryField

from core.images import UploadFolder

http_url = URLValidator(schemes=["http", "https"])

# Path words under /teams/ that a team slug may never take.
RESERVED_SLUGS = frozenset(
    {
        "hub", "leaderboard", "create", "search", "new", "edit", "roster",
        "admin", "api", "invites", "invite", "join", "notifications", "feed",
        "settings", "static", "media", "players", "accounts", "teams",
        "login", "logout", "signup", "about", "help",
    }
)  # fmt: skip


class Team(models.Model):
    class Privacy(models.TextChoices):
        PUBLIC = "public", "Public"
        PRIVATE = "private", "Private"

    game = models.ForeignKey(
        "games.Game", on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(max_length=64)
    # Comparison key of the name (NFKC, case and look-alike folding); the
    # unique index on (game, name_key) is what stops imitations under races.
    name_key = models.CharField(max_length=256, editable=False)
    # Hex-encoded ASCII sort key that orders the same on SQLite and PostgreSQL.
    name_sort = models.CharField(max_length=256, editable=False, default="")
    tag = models.CharField(max_length=5, blank=True)
    tag_key = models.CharField(max_length=32, blank=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    region = models.ForeignKey(
        "games.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams",
    )
    country = CountryField(blank=True)
    description = models.TextField(blank=True, max_length=5000)
    logo = models.ImageField(upload_to=UploadFolder("teams/logos"), blank=True)
    banner = models.ImageField(upload_to=UploadFolder("teams/banners"), blank=True)
    website_url = models.URLField(blank=True, validators=[http_url])
    twitter_url = models.URLField(blank=True, validators=[http_url])
    discord_url = models.URLField(blank=True, validators=[http_url])
    youtube_url = models.URLField(blank=True, validators=[http_url])
    twitch_url = models.URLField(blank=True, validators=[http_url])
    privacy = models.CharField(
        max_length=8, choices=Privacy.choices, default=Privacy.PUBLIC
    )
    is_recruiting = models.BooleanField(default=False)
    recruiting_message = models.CharField(max_length=280, blank=True)
    is_verified = models.BooleanField(default=False, help_text="Badge given by staff.")
    is_featured = models.BooleanField(default=False)
    total_points = models.IntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    name_changed_at = models.DateTimeField(null=True, blank=True)
    disbanded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["game", "name_key"],
                condition=Q(disbanded_at__isnull=True),
                name="teams_team_name_key_per_game",
            ),
            models.UniqueConstraint(
                fields=["game", "tag_key"],
                condition=Q(disbanded_at__isnull=True) & ~Q(tag_key=""),
                name="teams_team_tag_key_per_game",
            ),
            models.CheckConstraint(
                condition=Q(privacy__in=["public", "private"]),
                name="teams_team_privacy_valid",
            ),
            models.CheckConstraint(
                condition=~Q(slug__in=sorted(RESERVED_SLUGS)),
                name="teams_team_slug_not_reserved",
            ),
        ]
        indexes = [
            models.Index(fields=["game", "-total_points"], name="teams_game_points"),
            models.Index(fields=["-total_points", "name"], name="teams_points_name"),
            models.Index(
                fields=["game", "-total_points", "name_sort"],
                name="teams_board_order",
            ),
            models.Index(fields=["-created_at"], name="teams_newest"),
            models.Index(
                fields=["is_recruiting", "game"], name="teams_recruiting_game"
            ),
            models.Index(Lower("tag"), name="teams_tag_ci"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.disbanded_at is None

    @property
    def is_private(self):
        return self.privacy == self.Privacy.PRIVATE


class TeamSlug(models.Model):
    """A slug a team used before a rename; its URL redirects to the team."""

    slug = models.SlugField(max_length=80, unique=True)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.slug


class Membership(models.Model):
    class Role(models.TextChoices):
        CAPTAIN = "captain", "Captain"
        CO_CAPTAIN = "co_captain", "Co-captain"
        PLAYER = "player", "Player"
        SUBSTITUTE = "substitute", "Substitute"
        COACH = "coach", "Coach"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    profile = models.ForeignKey(
        "accounts.Profile", on_delete=models.CASCADE, related_name="memberships"
    )
    # Copied from the team so the database can enforce one active membership
    # per profile and game.
    game = models.ForeignKey("games.Game", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PLAYER)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    position = models.CharField(max_length=32, blank=True)
    joined_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "game"],
                condition=Q(status="active"),
                name="teams_membership_one_active_per_game",
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(status="active", role="captain"),
                name="teams_membership_one_captain",
            ),
            models.CheckConstraint(
                condition=Q(status="active", ended_at__isnull=True)
                | Q(status="ended", ended_at__isnull=False),
                name="teams_membership_ended_at_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "status"], name="teams_membership_team"),
            models.Index(fields=["profile", "status"], name="teams_membership_profile"),
        ]

    def __str__(self):
        return f"{self.profile} in {self.team} ({self.role})"

    @property
    def takes_roster_slot(self):
        return self.role != self.Role.COACH
