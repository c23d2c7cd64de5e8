from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from teams.models import Membership

Role = Membership.Role

# Roles an invite, a link or a join request can offer. Captaincy and
# co-captaincy are handed out on the roster page, never through an invite.
OFFERED_ROLES = (Role.PLAYER, Role.SUBSTITUTE, Role.COACH)
OFFERED_ROLE_CHOICES = [(role.value, role.label) for role in OFFERED_ROLES]


class Invite(models.Model):
    """A direct invite from a team to one player, by handle or by email.

    The invitee is a profile. An invite to an address that no account has
    verified has only the email, and gets its profile when an account
    verifies that address.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Expired"
        MERGED = "merged", "Merged into another invite"

    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="invites"
    )
    profile = models.ForeignKey(
        "accounts.Profile",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invites",
    )
    # The address the inviter typed, lower-cased; blank for an invite by handle.
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=16, choices=OFFERED_ROLE_CHOICES)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "profile"],
                condition=Q(status="pending", profile__isnull=False),
                name="invites_invite_one_pending_per_profile",
            ),
            models.UniqueConstraint(
                "team",
                Lower("email"),
                condition=Q(status="pending", profile__isnull=True),
                name="invites_invite_one_pending_per_email",
            ),
            models.CheckConstraint(
                condition=Q(profile__isnull=False) | ~Q(email=""),
                name="invites_invite_has_invitee",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "status"], name="invites_invite_team"),
            models.Index(fields=["status", "expires_at"], name="invites_invite_expiry"),
            models.Index(fields=["profile", "status"], name="invites_invite_profile"),
        ]

    def __str__(self):
        return f"{self.team} invites {self.invitee_label}"

    @property
    def invitee_label(self):
        """The handle, or the typed address when the invite was sent by email."""
        if self.email:
            return self.email
        return self.profile.handle if self.profile_id else ""


class InviteLink(models.Model):
    """A shareable join URL with an expiry and a maximum number of uses.

    Only the SHA-256 of the token is stored, so a database leak does not
    reveal working links. The URL is shown once, on the page after creation.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        USED_UP = "used_up", "Used up"
        REVOKED = "revoked", "Revoked"
        EXPIRED = "expired", "Expired"

    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="invite_links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    role = models.CharField(max_length=16, choices=OFFERED_ROLE_CHOICES)
    max_uses = models.PositiveSmallIntegerField()
    use_count = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(use_count__lte=models.F("max_uses")),
                name="invites_invitelink_uses_within_max",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "status"], name="invites_link_team"),
            models.Index(fields=["status", "expires_at"], name="invites_link_expiry"),
        ]

    def __str__(self):
        return f"{self.team} link #{self.pk} ({self.role})"

    @property
    def uses_left(self):
        return max(self.max_uses - self.use_count, 0)


class InviteLinkUse(models.Model):
    """One player who joined a team through an invite link."""

    link = models.ForeignKey(InviteLink, on_delete=models.CASCADE, related_name="uses")
    profile = models.ForeignKey(
        "accounts.Profile", on_delete=models.CASCADE, related_name="+"
    )
    membership = models.ForeignKey(
        "teams.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    used_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["link", "-used_at"], name="invites_linkuse")]

    def __str__(self):
        return f"{self.profile} via link #{self.link_id}"


class JoinRequest(models.Model):
    """A player's request to join a recruiting team, with a plain-text message."""

    MESSAGE_MAX_LENGTH = 500

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"
        CANCELLED = "cancelled", "Cancelled"

    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="join_requests"
    )
    profile = models.ForeignKey(
        "accounts.Profile", on_delete=models.CASCADE, related_name="join_requests"
    )
    role = models.CharField(max_length=16, choices=OFFERED_ROLE_CHOICES)
    message = models.TextField(blank=True, max_length=MESSAGE_MAX_LENGTH)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "profile"],
                condition=Q(status="pending"),
                name="invites_joinrequest_one_pending",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "status"], name="invites_request_team"),
            models.Index(fields=["profile", "status"], name="invites_request_profile"),
        ]

    def __str__(self):
        return f"{self.profile} asks to join {self.team}"
