"""Join requests: a player requests to join a recruiting team, and its
captain or a co-captain approves or rejects the request.

Refusals raise Conflict (409) for a team that is not recruiting, a player
already on the team, a duplicate or an already decided request,
PermissionDenied (403) for a private team and NotFound (404) for a request
of another team.
"""

import html
import logging
import re

import nh3
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import Conflict, DomainError, NotFound, PermissionDenied
from roster.services import membership_join

from .. import kinds
from ..models import Invite, JoinRequest
from ..ratelimits import hit_join_request
from .common import (
    active_membership,
    clean_role,
    lock_team_as_manager,
    profile_of,
    require_active,
    team_url,
)
from .notify import notify_managers, notify_users

logger = logging.getLogger(__name__)

MSG_NOT_RECRUITING = "{team} is not recruiting at the moment."
MSG_PRIVATE_TEAM = (
    "{team} is private and takes new players by invite only. Ask its captain "
    "for an invite."
)
MSG_REQUEST_ALREADY_MEMBER = "You are already a member of {team}."
MSG_REQUEST_DUPLICATE = (
    "You already have a pending request to join {team}. Withdraw it to send another."
)
MSG_MESSAGE_TOO_LONG = "The message can be at most {limit} characters long."
MSG_REQUEST_NOT_FOUND = "This team has no join request with that number."
MSG_NO_PENDING_REQUEST = "You have no pending request to join {team}."
MSG_REQUEST_NOT_PENDING = "This join request was already answered: {status}."

# Control characters other than tab and newline.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_message(text):
    """Return the message as plain text: no HTML tags, no control characters.

    Templates escape it when they show it, so entities are decoded back to
    the characters the player typed.
    """
    text = (text or "").replace("\r\n", "\n")
    text = html.unescape(nh3.clean(text, tags=set()))
    text = _CONTROL_CHARACTERS.sub("", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def join_request_create(team, *, user, role, message=""):
    """File the user's request to join a recruiting team in a role.

    One attempt that passes validation counts towards the user's rate limit.
    """
    profile = profile_of(user)
    require_active(team)
    if team.is_private and active_membership(team, profile) is None:
        # A private team hides whether it recruits from non-members.
        raise PermissionDenied(
            MSG_PRIVATE_TEAM.format(team=team.name), code="private_team"
        )
    if not team.is_recruiting:
        raise Conflict(MSG_NOT_RECRUITING.format(team=team.name), code="not_recruiting")
    role = clean_role(role)
    message = clean_message(message)
    limit = JoinRequest.MESSAGE_MAX_LENGTH
    if len(message) > limit:
        raise DomainError(
            MSG_MESSAGE_TOO_LONG.format(limit=limit), code="message_too_long"
        )
    if active_membership(team, profile) is not None:
        raise Conflict(
            MSG_REQUEST_ALREADY_MEMBER.format(team=team.name), code="already_member"
        )
    duplicate = Conflict(MSG_REQUEST_DUPLICATE.format(team=team.name), code="duplicate")
    pending = JoinRequest.objects.filter(
        team=team, profile=profile, status=JoinRequest.Status.PENDING
    )
    if pending.exists():
        raise duplicate
    hit_join_request(user)
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(
                team=team,
                profile=profile,
                role=role,
                message=message,
                created_at=timezone.now(),
            )
            notify_managers(
                team,
                kinds.JOIN_REQUEST_RECEIVED,
                actor=user,
                data={"role": request.get_role_display().lower()},
                url=reverse("team_invites:manage", kwargs={"slug": team.slug}),
            )
    except IntegrityError as error:
        # A second submit raced the first past the check above.
        raise duplicate from error
    logger.info(
        "join request sent",
        extra={"request_id": request.pk, "team_id": team.pk, "user_id": user.pk},
    )
    return request


def join_request_withdraw(team, *, user):
    """Withdraw the user's pending request to the team."""
    profile = profile_of(user)
    updated = JoinRequest.objects.filter(
        team=team, profile=profile, status=JoinRequest.Status.PENDING
    ).update(status=JoinRequest.Status.WITHDRAWN, decided_at=timezone.now())
    if not updated:
        raise NotFound(
            MSG_NO_PENDING_REQUEST.format(team=team.name), code="no_pending_request"
        )
    logger.info(
        "join request withdrawn", extra={"team_id": team.pk, "user_id": user.pk}
    )


def _lock_pending_request(team, request_id):
    request = (
        JoinRequest.objects.select_for_update(of=("self",))
        .filter(pk=request_id, team=team)
        .select_related("profile__user")
        .first()
    )
    if request is None:
        raise NotFound(MSG_REQUEST_NOT_FOUND, code="request_not_found")
    if request.status != JoinRequest.Status.PENDING:
        raise Conflict(
            MSG_REQUEST_NOT_PENDING.format(status=request.get_status_display().lower()),
            code="request_not_pending",
        )
    return request


def join_request_approve(team, request_id, *, actor):
    """Approve a pending request, so the player joins in the requested role."""
    with transaction.atomic():
        # Lock order team -> request, as every join path does.
        locked_team = lock_team_as_manager(team.pk, actor)
        request = _lock_pending_request(locked_team, request_id)
        now = timezone.now()
        membership = membership_join(
            locked_team, request.profile, role=request.role, actor=actor, via="request"
        )
        request.status = JoinRequest.Status.APPROVED
        request.decided_by = actor
        request.decided_at = now
        request.save(update_fields=["status", "decided_by", "decided_at"])
        # An invite to the same player is settled by the approval.
        Invite.objects.filter(
            team=locked_team, profile=request.profile, status=Invite.Status.PENDING
        ).update(status=Invite.Status.ACCEPTED, responded_at=now)
        notify_users(
            [request.profile.user],
            kinds.JOIN_REQUEST_APPROVED,
            actor=actor,
            team=locked_team,
            data={"role": request.get_role_display().lower()},
            url=team_url(locked_team),
        )
    logger.info(
        "join request approved",
        extra={"request_id": request.pk, "team_id": team.pk, "actor_id": actor.pk},
    )
    return membership


def join_request_reject(team, request_id, *, actor):
    with transaction.atomic():
        # Lock order team -> request, as every join path does.
        lock_team_as_manager(team.pk, actor)
        request = _lock_pending_request(team, request_id)
        request.status = JoinRequest.Status.REJECTED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        notify_users(
            [request.profile.user],
            kinds.JOIN_REQUEST_REJECTED,
            actor=actor,
            team=team,
        )
    logger.info(
        "join request rejected",
        extra={"request_id": request.pk, "team_id": team.pk, "actor_id": actor.pk},
    )
    return request
