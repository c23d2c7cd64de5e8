from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django_countries.fields import CountryField

from core.images import UploadFolder

from .validators import HANDLE_MAX_LENGTH, HANDLE_VALIDATORS

MSG_USERNAME_TAKEN = "An account with that handle already exists."
MSG_EMAIL_TAKEN = "An account with that email address already exists."
MSG_HANDLE_TAKEN = "A claimed profile with that handle already exists."


class User(AbstractUser):
    """An account. The username is the player's handle; email is unique."""

    # Same rules as Profile.handle, so every account name is a valid handle.
    username = models.CharField(
        "handle",
        max_length=HANDLE_MAX_LENGTH,
        unique=True,
        validators=HANDLE_VALIDATORS,
        help_text=(
            f"At most {HANDLE_MAX_LENGTH} characters: letters, digits, dots, "
            "hyphens and underscores."
        ),
        error_messages={"unique": MSG_USERNAME_TAKEN},
    )
    email = models.EmailField("email address", unique=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message=MSG_USERNAME_TAKEN,
            ),
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=MSG_EMAIL_TAKEN,
            ),
        ]


class Profile(models.Model):
    """A player as the site shows them; may exist without an account.

    Memberships belong to profiles, so imported players exist as unclaimed
    profiles until staff hand them to an account.
    """

    user = models.OneToOneField(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="profile",
    )
    handle = models.CharField(
        max_length=HANDLE_MAX_LENGTH, validators=HANDLE_VALIDATORS
    )
    display_name = models.CharField(max_length=64, blank=True)
    avatar = models.ImageField(upload_to=UploadFolder("avatars"), blank=True)
    country = CountryField(blank=True)
    bio = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # Handles are unique only among claimed profiles: imported players
            # share nicknames, and an unclaimed one must not block a sign-up.
            models.UniqueConstraint(
                Lower("handle"),
                condition=models.Q(user__isnull=False),
                name="accounts_profile_claimed_handle_ci_unique",
                violation_error_message=MSG_HANDLE_TAKEN,
            ),
        ]
        indexes = [models.Index(Lower("handle"), name="accounts_profile_handle_ci")]

    def __str__(self):
        return self.handle

    @property
    def is_claimed(self):
        return self.user_id is not None

    @property
    def name(self):
        return self.display_name or self.handle


class GameAccount(models.Model):
    """A profile's account in one game (Riot ID, Steam ID...), shown on rosters."""

    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="game_accounts"
    )
    game = models.ForeignKey("games.Game", on_delete=models.PROTECT, related_name="+")
    account_id = models.CharField(max_length=64)
    in_game_name = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "game"], name="accounts_gameaccount_one_per_game"
            ),
            # One player per account in a game, so rosters cannot show two
            # players behind the same Steam or Riot ID.
            models.UniqueConstraint(
                "game",
                Lower("account_id"),
                name="accounts_gameaccount_account_once_per_game",
            ),
        ]
        ordering = ["game__sort_order"]

    def __str__(self):
        return f"{self.in_game_name} ({self.game_id})"
