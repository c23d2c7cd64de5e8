"""Notification writes: create, mark read."""

import logging

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.errors import NotFound

from .models import Notification
from .registry import get_kind

logger = logging.getLogger(__name__)

MSG_NOT_FOUND = "That notification does not exist or is not yours."


def _user_id(recipient):
    return recipient if isinstance(recipient, int) else recipient.pk


def notify(recipients, kind, *, actor=None, team=None, data=None, url=""):
    """Create one notification of a registered kind per recipient.

    Recipients are users or user ids; duplicates get one notification. The
    rows are written with one bulk insert inside the caller's transaction,
    so they vanish if the change they report is rolled back. Raises
    ValueError for an unknown kind or a template that needs missing data.
    """
    entry = get_kind(kind)
    data = dict(data or {})
    context = {
        "actor": actor.get_username() if actor is not None else "Someone",
        "team": team.name if team is not None else "",
        **data,
    }
    text = entry.render(context)
    now = timezone.now()
    user_ids = list(dict.fromkeys(_user_id(recipient) for recipient in recipients))
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id,
                kind=kind,
                actor=actor,
                team=team,
                text=text,
                data=data,
                url=url,
                created_at=now,
            )
            for user_id in user_ids
        ]
    )
    if created:
        logger.info(
            "notifications created",
            extra={
                "kind": kind,
                "count": len(created),
                "team_id": getattr(team, "pk", None),
            },
        )
    return created


def team_member_user_ids(team):
    """Return the ids of the users behind the team's active memberships."""
    from teams.models import Membership

    return list(
        get_user_model()
        .objects.filter(
            profile__memberships__team=team,
            profile__memberships__status=Membership.Status.ACTIVE,
        )
        .values_list("pk", flat=True)
    )


def notify_team(team, kind, *, exclude_user=None, actor=None, data=None, url=""):
    """Notify every active member with an account, except the actor.

    ``exclude_user`` leaves out one more user, for example the member the
    change is about when they get a notification of their own.
    """
    excluded = {user.pk for user in (exclude_user, actor) if user is not None}
    recipients = [pk for pk in team_member_user_ids(team) if pk not in excluded]
    return notify(recipients, kind, actor=actor, team=team, data=data, url=url)


def notification_mark_read(user, notification_id):
    """Mark one of the user's notifications read; return it."""
    notification = Notification.objects.filter(
        pk=notification_id, recipient=user
    ).first()
    if notification is None:
        raise NotFound(MSG_NOT_FOUND, code="notification_not_found")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(user):
    """Mark every unread notification of the user read; return how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
