"""Invite links: create, revoke, look up by token and join through one.

A token is 32 URL-safe characters from secrets.token_urlsafe (192 random
bits). Only its SHA-256 is stored and looked up, so comparing a guess never
compares the secret itself. Refusals raise NotFound (404) for an unknown
token or a link of another team, and Conflict (409) for an expired, revoked
or used-up link.
"""

import hashlib
import logging
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import formats, timezone

from core.errors import Conflict, DomainError, NotFound
from roster.services import membership_join
from teams.permissions import require

from ..models import InviteLink, InviteLinkUse
from ..ratelimits import hit_invite_link_create
from .common import (
    active_membership,
    clean_role,
    lock_team,
    lock_team_as_manager,
    profile_of,
    require_active,
)

logger = logging.getLogger(__name__)

TOKEN_BYTES = 24
TOKEN_MAX_LENGTH = 64
MAX_USES_LIMIT = 100
# Expiry choices offered by the form, in hours.
EXPIRY_CHOICES_HOURS = (1, 24, 7 * 24, 30 * 24)

MSG_LINK_NOT_FOUND = (
    "This invite link is not valid. Check that you copied all of it, or ask "
    "the team for a new one."
)
MSG_LINK_NOT_IN_TEAM = "This team has no invite link with that number."
MSG_LINK_EXPIRED = "This invite link expired on {date}."
MSG_LINK_REVOKED = "The team revoked this invite link."
MSG_LINK_USED_UP = "This invite link has been used the maximum {max_uses} times."
MSG_MAX_USES_INVALID = f"Maximum uses must be between 1 and {MAX_USES_LIMIT}."
MSG_EXPIRY_INVALID = "Choose one of the offered expiry times."
MSG_REVOKE_NOT_ACTIVE = "Only an active link can be revoked; this one is {status}."

# Codes of the refusals after which the landing page offers a join request.
DEAD_LINK_CODES = frozenset({"link_expired", "link_revoked", "link_used_up"})


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invite_link_create(team, *, actor, role, expires_in_hours, max_uses):
    """Create a link; return (link, token). The token is not stored in clear."""
    # Checked again under the team lock below. Checking first as well keeps
    # non-managers from spending the team's rate limit.
    require("manage_invites", actor, team)
    require_active(team)
    role = clean_role(role)
    if expires_in_hours not in EXPIRY_CHOICES_HOURS:
        raise DomainError(MSG_EXPIRY_INVALID, code="expiry_invalid")
    if not isinstance(max_uses, int) or not 1 <= max_uses <= MAX_USES_LIMIT:
        raise DomainError(MSG_MAX_USES_INVALID, code="max_uses_invalid")

    hit_invite_link_create(team)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        # The team lock orders this write after any roster change that
        # demotes or removes the actor.
        lock_team_as_manager(team.pk, actor)
        now = timezone.now()
        link = InviteLink.objects.create(
            team=team,
            token_hash=hash_token(token),
            role=role,
            max_uses=max_uses,
            created_by=actor,
            created_at=now,
            expires_at=now + timedelta(hours=expires_in_hours),
        )
    logger.info(
        "invite link created",
        extra={"link_id": link.pk, "team_id": team.pk, "actor_id": actor.pk},
    )
    return link, token


def invite_link_for_team(team, link_id):
    link = InviteLink.objects.filter(pk=link_id, team=team).first()
    if link is None:
        raise NotFound(MSG_LINK_NOT_IN_TEAM, code="link_not_in_team")
    return link


def invite_link_revoke(team, link_id, *, actor):
    with transaction.atomic():
        # Lock order team -> link, as every join path does.
        lock_team_as_manager(team.pk, actor)
        link = InviteLink.objects.select_for_update().filter(pk=link_id, team=team)
        link = link.first()
        if link is None:
            raise NotFound(MSG_LINK_NOT_IN_TEAM, code="link_not_in_team")
        if link.status != InviteLink.Status.ACTIVE:
            raise Conflict(
                MSG_REVOKE_NOT_ACTIVE.format(status=link.get_status_display()),
                code="link_not_active",
            )
        link.status = InviteLink.Status.REVOKED
        link.revoked_at = timezone.now()
        link.save(update_fields=["status", "revoked_at"])
    logger.info("invite link revoked", extra={"link_id": link.pk, "actor_id": actor.pk})
    return link


def invite_link_get(token):
    """Return the link of a token, with its team, or raise NotFound."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise NotFound(MSG_LINK_NOT_FOUND, code="link_not_found")
    link = (
        InviteLink.objects.select_related("team__game")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None:
        raise NotFound(MSG_LINK_NOT_FOUND, code="link_not_found")
    return link


def invite_link_check(link, now=None):
    """Raise the Conflict that explains why the link cannot be used, if any."""
    now = now or timezone.now()
    if link.status == InviteLink.Status.REVOKED:
        raise Conflict(MSG_LINK_REVOKED, code="link_revoked")
    if link.status == InviteLink.Status.EXPIRED or link.expires_at <= now:
        date = formats.date_format(
            timezone.localtime(link.expires_at), "DATETIME_FORMAT"
        )
        raise Conflict(MSG_LINK_EXPIRED.format(date=date), code="link_expired")
    if link.status == InviteLink.Status.USED_UP or link.use_count >= link.max_uses:
        raise Conflict(
            MSG_LINK_USED_UP.format(max_uses=link.max_uses), code="link_used_up"
        )


def invite_link_join(token, *, user):
    """Join the link's team in the link's role; return (membership, joined).

    A player who already is a member gets their membership back with
    joined False, whatever state the link is in.
    """
    profile = profile_of(user)
    link = invite_link_get(token)
    with transaction.atomic():
        # Lock order team -> link, as every join path does; the link lock
        # makes concurrent joins read the use count one after another.
        team = lock_team(link.team_id)
        link = InviteLink.objects.select_for_update().get(pk=link.pk)
        existing = active_membership(team, profile)
        if existing is not None:
            return existing, False
        now = timezone.now()
        invite_link_check(link, now)
        membership = membership_join(
            team, profile, role=link.role, actor=user, via="link"
        )
        link.use_count += 1
        if link.use_count >= link.max_uses:
            link.status = InviteLink.Status.USED_UP
        link.save(update_fields=["use_count", "status"])
        InviteLinkUse.objects.create(
            link=link, profile=profile, membership=membership, used_at=now
        )
    logger.info(
        "joined by invite link",
        extra={"link_id": link.pk, "team_id": team.pk, "profile_id": profile.pk},
    )
    return membership, True
