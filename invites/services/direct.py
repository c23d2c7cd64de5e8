"""Direct invites: send by handle or email, cancel, accept, decline.

Refusals raise Conflict (409) for an invite that is no longer pending:
expired, cancelled, declined, merged, or accepted by a player who has left
since. They raise PermissionDenied (403) for an invite addressed to someone
else and NotFound (404) for one that does not exist. An invite reserves no
roster slot, because capacity is checked when it is accepted.
"""

import logging
from datetime import timedelta
from smtplib import SMTPException

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone

from accounts.models import Profile
from core.errors import Conflict, DomainError, NotFound, PermissionDenied
from roster.services import membership_join
from teams.permissions import require

from .. import kinds
from ..models import Invite, JoinRequest
from ..ratelimits import hit_invite_email, hit_invite_send
from .common import (
    active_membership,
    clean_role,
    lock_team,
    lock_team_as_manager,
    profile_of,
    require_active,
    team_url,
)
from .notify import notify_users

logger = logging.getLogger(__name__)

MSG_TARGET_EMPTY = "Enter the player's handle or email address."
MSG_EMAIL_INVALID = "“{email}” is not a valid email address."
MSG_PLAYER_NOT_FOUND = (
    "No player with the handle “{handle}” has an account. Check the spelling, "
    "or invite them by email."
)
MSG_ALREADY_MEMBER = "{invitee} is already a member of {team}."
MSG_DUPLICATE = "{invitee} already has a pending invite from {team}."
MSG_INVITE_NOT_FOUND = "This invite does not exist."
MSG_INVITE_NOT_IN_TEAM = "This team has no invite with that number."
MSG_INVITE_NOT_YOURS = (
    "This invite was sent to another player. Sign in as that player to answer it."
)
MSG_INVITE_EXPIRED = "This invite expired on {date}. Ask the team for a new one."
MSG_INVITE_CANCELLED = "The team cancelled this invite."
MSG_INVITE_DECLINED = "You declined this invite. Ask the team for a new one."
MSG_INVITE_USED = (
    "This invite was already accepted and you have left the team since. "
    "Ask the team for a new invite."
)
MSG_INVITE_MERGED = (
    "This invite was merged into another invite from the same team; "
    "answer that one on your invites page."
)
MSG_CANCEL_NOT_PENDING = "Only a pending invite can be cancelled; this one is {status}."
MSG_ALREADY_JOINED = "You are already a member of {team}."

# Number of invite emails that failed to send, for a metrics exporter.
mail_failures = {"count": 0}

_STATE_MESSAGES = {
    Invite.Status.CANCELLED: (MSG_INVITE_CANCELLED, "invite_cancelled"),
    Invite.Status.DECLINED: (MSG_INVITE_DECLINED, "invite_declined"),
    Invite.Status.ACCEPTED: (MSG_INVITE_USED, "invite_used"),
    Invite.Status.MERGED: (MSG_INVITE_MERGED, "invite_merged"),
}


def invite_expiry(now):
    return now + timedelta(days=settings.INVITE_EXPIRY_DAYS)


def _format_date(moment):
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _resolve_invitee(target):
    """Return (profile, email) for a typed handle or email address.

    An address that an account has verified resolves to that account's
    profile. Any other address stays an email invite until an account
    verifies it.
    """
    target = (target or "").strip()
    if not target:
        raise DomainError(MSG_TARGET_EMPTY, code="target_empty")
    if "@" in target:
        try:
            validate_email(target)
        except ValidationError as error:
            raise DomainError(
                MSG_EMAIL_INVALID.format(email=target), code="email_invalid"
            ) from error
        email = target.lower()
        address = (
            EmailAddress.objects.filter(email__iexact=email, verified=True)
            .select_related("user__profile")
            .first()
        )
        profile = getattr(address.user, "profile", None) if address else None
        return profile, email
    profile = Profile.objects.filter(handle__iexact=target, user__isnull=False).first()
    if profile is None:
        raise NotFound(
            MSG_PLAYER_NOT_FOUND.format(handle=target), code="player_not_found"
        )
    return profile, ""


def _pending_for(team, profile, email):
    invites = Invite.objects.filter(team=team, status=Invite.Status.PENDING)
    if profile is not None:
        return invites.filter(profile=profile)
    return invites.filter(profile__isnull=True, email__iexact=email)


def invite_send(team, *, actor, target, role, signup_url=""):
    """Invite a player by handle or email address to join the team in a role.

    One attempt that passes validation counts towards the team's invite rate
    limit, whether or not it is over the limit, and an invite that will go
    out by email also counts towards the actor's email invite limit.
    signup_url is the absolute sign-up address put in the email sent to an
    address with no account.
    """
    # Checked again under the team lock below. Checking first as well keeps
    # non-managers from spending the team's rate limit or probing handles.
    require("manage_invites", actor, team)
    require_active(team)
    role = clean_role(role)
    profile, email = _resolve_invitee(target)
    invitee = email or profile.handle
    if profile is not None and active_membership(team, profile) is not None:
        raise Conflict(
            MSG_ALREADY_MEMBER.format(invitee=invitee, team=team.name),
            code="already_member",
        )
    now = timezone.now()
    # A pending invite past its expiry date no longer blocks a new one, even
    # before the expiry task has marked it.
    _pending_for(team, profile, email).filter(expires_at__lte=now).update(
        status=Invite.Status.EXPIRED
    )
    duplicate = Conflict(
        MSG_DUPLICATE.format(invitee=invitee, team=team.name), code="duplicate"
    )
    if _pending_for(team, profile, email).exists():
        raise duplicate
    hit_invite_send(team)
    if profile is None:
        hit_invite_email(actor)
    try:
        with transaction.atomic():
            # The team lock orders this write after any roster change that
            # demotes or removes the actor.
            lock_team_as_manager(team.pk, actor)
            invite = Invite.objects.create(
                team=team,
                profile=profile,
                email=email,
                role=role,
                invited_by=actor,
                created_at=now,
                expires_at=invite_expiry(now),
            )
            _announce(invite, actor=actor, signup_url=signup_url)
    except IntegrityError as error:
        # Another captain sent the same invite between the check and the insert.
        raise duplicate from error
    logger.info(
        "invite sent",
        extra={"invite_id": invite.pk, "team_id": team.pk, "actor_id": actor.pk},
    )
    return invite


def _announce(invite, *, actor, signup_url):
    """Tell the invitee: in-app when they have an account, else by email."""
    profile = invite.profile
    if profile is not None and profile.user_id:
        notify_users(
            [profile.user],
            kinds.INVITE_RECEIVED,
            actor=actor,
            team=invite.team,
            data={"role": invite.get_role_display().lower()},
            url=reverse("invites:inbox"),
        )
        return
    if profile is None:
        transaction.on_commit(
            lambda: _mail_invite(invite.pk, actor.username, signup_url)
        )


def _mail_invite(invite_id, inviter, signup_url):
    invite = Invite.objects.select_related("team__game").get(pk=invite_id)
    context = {
        "invite": invite,
        "inviter": inviter,
        "team": invite.team,
        "signup_url": signup_url or reverse("account_signup"),
        "expires": _format_date(invite.expires_at),
    }
    subject = render_to_string("invites/email/invite_subject.txt", context)
    body = render_to_string("invites/email/invite_body.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [invite.email])
    except (SMTPException, OSError):
        # The invite is committed and stays valid; the captain can cancel it
        # and send it again. NOTE: the mail is not retried.
        mail_failures["count"] += 1
        logger.exception("invite email failed", extra={"invite_id": invite.pk})
        return
    logger.info("invite emailed", extra={"invite_id": invite.pk})


def invite_cancel(team, invite_id, *, actor):
    """Cancel a pending invite of the team (captain or co-captain)."""
    with transaction.atomic():
        # Lock order team -> invite, as every join path does.
        lock_team_as_manager(team.pk, actor)
        invite = (
            Invite.objects.select_for_update(of=("self",))
            .filter(pk=invite_id, team=team)
            .select_related("profile__user")
            .first()
        )
        if invite is None:
            raise NotFound(MSG_INVITE_NOT_IN_TEAM, code="invite_not_found")
        if invite.status != Invite.Status.PENDING:
            raise Conflict(
                MSG_CANCEL_NOT_PENDING.format(status=invite.get_status_display()),
                code="invite_not_pending",
            )
        invite.status = Invite.Status.CANCELLED
        invite.responded_at = timezone.now()
        invite.save(update_fields=["status", "responded_at"])
        if invite.profile_id and invite.profile.user_id:
            notify_users(
                [invite.profile.user],
                kinds.INVITE_CANCELLED,
                actor=actor,
                team=team,
            )
    logger.info(
        "invite cancelled", extra={"invite_id": invite.pk, "actor_id": actor.pk}
    )
    return invite


def _invite_for(invite_id, profile):
    invite = Invite.objects.filter(pk=invite_id).first()
    if invite is None:
        raise NotFound(MSG_INVITE_NOT_FOUND, code="invite_not_found")
    if invite.profile_id != profile.pk:
        raise PermissionDenied(MSG_INVITE_NOT_YOURS, code="invite_not_yours")
    return invite


def _check_pending(invite, now):
    if invite.status == Invite.Status.PENDING and invite.expires_at <= now:
        raise Conflict(
            MSG_INVITE_EXPIRED.format(date=_format_date(invite.expires_at)),
            code="invite_expired",
        )
    if invite.status == Invite.Status.EXPIRED:
        raise Conflict(
            MSG_INVITE_EXPIRED.format(date=_format_date(invite.expires_at)),
            code="invite_expired",
        )
    if invite.status in _STATE_MESSAGES:
        message, code = _STATE_MESSAGES[invite.status]
        raise Conflict(message, code=code)


def invite_accept(invite_id, *, user):
    """Accept an invite; return (membership, joined).

    joined is False when the player already was a member: accepting twice,
    or after joining by another way, changes nothing and raises nothing.
    """
    profile = profile_of(user)
    invite = _invite_for(invite_id, profile)
    with transaction.atomic():
        # Lock order team -> invite. The team lock queues every join into this
        # team, and the invite lock makes a second accept see the first result.
        team = lock_team(invite.team_id)
        invite = Invite.objects.select_for_update().get(pk=invite.pk)
        now = timezone.now()
        existing = active_membership(team, profile)
        if existing is not None:
            if invite.status == Invite.Status.PENDING and invite.expires_at > now:
                _mark_accepted(invite, now)
            return existing, False
        _check_pending(invite, now)
        membership = membership_join(
            team, profile, role=invite.role, actor=user, via="invite"
        )
        _mark_accepted(invite, now)
        _close_join_request(team, profile, now)
        if invite.invited_by_id:
            notify_users(
                [invite.invited_by],
                kinds.INVITE_ACCEPTED,
                actor=user,
                team=team,
                data={"role": invite.get_role_display().lower()},
                url=team_url(team),
            )
    logger.info(
        "invite accepted",
        extra={"invite_id": invite.pk, "team_id": team.pk, "profile_id": profile.pk},
    )
    return membership, True


def _mark_accepted(invite, now):
    if invite.status == Invite.Status.ACCEPTED:
        return
    invite.status = Invite.Status.ACCEPTED
    invite.responded_at = now
    invite.save(update_fields=["status", "responded_at"])


def _close_join_request(team, profile, now):
    """Approve the player's own pending request to the team they just joined."""
    JoinRequest.objects.filter(
        team=team, profile=profile, status=JoinRequest.Status.PENDING
    ).update(status=JoinRequest.Status.APPROVED, decided_at=now)


def invite_decline(invite_id, *, user):
    """Decline a pending invite addressed to the user."""
    profile = profile_of(user)
    invite = _invite_for(invite_id, profile)
    with transaction.atomic():
        # Lock order team -> invite, as every join path does.
        lock_team(invite.team_id)
        invite = (
            Invite.objects.select_for_update(of=("self",))
            .select_related("team", "invited_by")
            .get(pk=invite.pk)
        )
        now = timezone.now()
        _check_pending(invite, now)
        invite.status = Invite.Status.DECLINED
        invite.responded_at = now
        invite.save(update_fields=["status", "responded_at"])
        if invite.invited_by_id:
            notify_users(
                [invite.invited_by], kinds.INVITE_DECLINED, actor=user, team=invite.team
            )
    logger.info("invite declined", extra={"invite_id": invite.pk})
    return invite


def invites_attach_email(user, email):
    """Give an account the pending invites sent to an address it just verified.

    When the same team already has a pending invite for the account (sent by
    handle), the two are merged: the handle invite stays, with the later of
    the two expiry dates, and the email invite is marked merged.
    """
    profile = getattr(user, "profile", None)
    if profile is None:
        return []
    now = timezone.now()
    waiting = Invite.objects.filter(
        profile__isnull=True,
        email__iexact=email,
        status=Invite.Status.PENDING,
        expires_at__gt=now,
    ).values_list("pk", "team_id")
    attached = []
    for invite_id, team_id in waiting:
        with transaction.atomic():
            # Lock order team -> invite, as every join path does.
            team = lock_team(team_id)
            invite = Invite.objects.select_for_update().get(pk=invite_id)
            if invite.status != Invite.Status.PENDING or invite.profile_id:
                continue
            kept = (
                Invite.objects.select_for_update()
                .filter(team=team, profile=profile, status=Invite.Status.PENDING)
                .first()
            )
            if kept is not None:
                kept.expires_at = max(kept.expires_at, invite.expires_at)
                kept.save(update_fields=["expires_at"])
                invite.status = Invite.Status.MERGED
                invite.responded_at = now
                invite.save(update_fields=["status", "responded_at"])
                attached.append(kept)
                continue
            invite.profile = profile
            invite.save(update_fields=["profile"])
            notify_users(
                [user],
                kinds.INVITE_RECEIVED,
                actor=invite.invited_by,
                team=team,
                data={"role": invite.get_role_display().lower()},
                url=reverse("invites:inbox"),
            )
            attached.append(invite)
    if attached:
        logger.info(
            "email invites attached",
            extra={"user_id": user.pk, "invite_ids": [i.pk for i in attached]},
        )
    return attached
