"""Expiry of invites and links, and clean-up when a team is disbanded."""

import logging

from django.db import transaction
from django.utils import timezone

from .. import kinds
from ..models import Invite, InviteLink, JoinRequest
from .notify import notify_users

logger = logging.getLogger(__name__)


def invites_expire(now=None):
    """Mark pending invites and active links past their expiry as expired.

    Return (invites, links), the number of rows changed. Accepting or
    joining checks expires_at itself, so this only tidies lists and indexes.
    """
    now = now or timezone.now()
    with transaction.atomic():
        invites = Invite.objects.filter(
            status=Invite.Status.PENDING, expires_at__lte=now
        ).update(status=Invite.Status.EXPIRED)
        links = InviteLink.objects.filter(
            status=InviteLink.Status.ACTIVE, expires_at__lte=now
        ).update(status=InviteLink.Status.EXPIRED)
    logger.info("invites expired", extra={"invites": invites, "links": links})
    return invites, links


def team_invites_close(team, *, actor=None, at=None):
    """Cancel a disbanded team's pending invites and requests, revoke its links.

    Runs inside the disbanding transaction. Invitees with an account are
    notified; requesters see the cancelled status on their invites page.
    """
    at = at or timezone.now()
    pending = Invite.objects.filter(team=team, status=Invite.Status.PENDING)
    invitees = [
        invite.profile.user
        for invite in pending.filter(profile__user__isnull=False).select_related(
            "profile__user"
        )
    ]
    invites = pending.update(status=Invite.Status.CANCELLED, responded_at=at)
    requests = JoinRequest.objects.filter(
        team=team, status=JoinRequest.Status.PENDING
    ).update(status=JoinRequest.Status.CANCELLED, decided_at=at)
    links = InviteLink.objects.filter(
        team=team, status=InviteLink.Status.ACTIVE
    ).update(status=InviteLink.Status.REVOKED, revoked_at=at)
    notify_users(invitees, kinds.INVITE_CANCELLED, actor=actor, team=team)
    logger.info(
        "team invites closed",
        extra={
            "team_id": team.pk,
            "invites": invites,
            "requests": requests,
            "links": links,
        },
    )
