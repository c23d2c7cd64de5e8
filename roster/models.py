from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import AppendOnlyError, AppendOnlyModel  # noqa: F401 (AppendOnlyError is part of this module's interface)
from teams.models import Membership, Team


class RosterLock(models.Model):
    """A staff lock on a team's roster, which rejects every roster change.

    A lock whose ``until`` time has passed is inactive, so nothing has to
    run when it ends. Unlocking deletes the row; the roster events
    keep the history.
    """

    team = models.OneToOneField(
        Team, on_delete=models.CASCADE, primary_key=True, related_name="roster_lock"
    )
    reason = models.CharField(max_length=200, blank=True)
    until = models.DateTimeField(
        null=True, blank=True, help_text="Empty means until staff unlock it."
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    locked_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Roster lock of {self.team_id}"

    def is_active(self, now=None):
        return self.until is None or self.until > (now or timezone.now())


class LockableTeam(Team):
    """Teams as the roster-lock admin lists them."""

    class Meta:
        proxy = True
        verbose_name = "team roster lock"
        verbose_name_plural = "team roster locks"


class RosterEvent(AppendOnlyModel):
    """One roster change, recorded once and never changed.

    NOTE: deleting a user sets ``actor`` to NULL through Django's collector,
    which bypasses this model's guards; that is the one permitted change.
    """

    class Kind(models.TextChoices):
        JOINED = "joined", "Joined"
        LEFT = "left", "Left"
        REMOVED = "removed", "Removed"
        ROLE_CHANGED = "role_changed", "Role changed"
        CAPTAIN_TRANSFERRED = "captain_transferred", "Captaincy transferred"
        LOCKED = "locked", "Roster locked"
        UNLOCKED = "unlocked", "Roster unlocked"
        DISBANDED = "disbanded", "Team disbanded"

    # PROTECT keeps the history: teams are soft-deleted, and a hard delete
    # of a team or profile with events is rejected.
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    profile = models.ForeignKey(
        "accounts.Profile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member the event is about; empty for team-wide events.",
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    role = models.CharField(max_length=16, choices=Membership.Role.choices, blank=True)
    previous_role = models.CharField(
        max_length=16, choices=Membership.Role.choices, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["team", "-created_at", "-id"], name="roster_event_timeline"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.team_id})"

    @property
    def summary(self):
        """Describe the event in one sentence for the roster timeline."""
        member = self.profile.name if self.profile_id else "A member"
        role = _role_label(self.role)
        previous = _role_label(self.previous_role)
        actor = self.actor.get_username() if self.actor_id else "staff"
        match self.kind:
            case self.Kind.JOINED:
                return f"{member} joined as {role}."
            case self.Kind.LEFT if self.data.get("reason") == "disbanded":
                return f"{member} left when the team disbanded."
            case self.Kind.LEFT:
                return f"{member} left the team."
            case self.Kind.REMOVED:
                return f"{member} was removed by {actor}."
            case self.Kind.ROLE_CHANGED:
                return f"{member} changed from {previous} to {role}."
            case self.Kind.CAPTAIN_TRANSFERRED:
                before = self.data.get("previous_captain") or "the previous captain"
                return f"Captaincy passed from {before} to {member}."
            case self.Kind.LOCKED:
                until = self.data.get("until_text")
                return f"Roster locked by staff{f' until {until}' if until else ''}."
            case self.Kind.UNLOCKED:
                return "Roster unlocked by staff."
            case self.Kind.DISBANDED:
                return "The team was disbanded."
        return self.get_kind_display()


def _role_label(role):
    return Membership.Role(role).label.lower() if role else "member"
