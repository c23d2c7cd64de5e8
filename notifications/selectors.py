"""Notification reads: the paginated list and the unread count."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q

from core.errors import DomainError

from .models import Notification

PAGE_SIZE = 20
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
MSG_BAD_CURSOR = "The page link is invalid. Go back to the first page of notifications."
# "<microseconds>-<id>" in ASCII digits. 18 digits cover every time up to the
# year 9999 and ids below 10**18, and a longer part is rejected before int().
CURSOR_PATTERN = re.compile(r"([0-9]{1,18})-([0-9]{1,18})")


@dataclass
class NotificationPage:
    items: list
    next_cursor: str | None


def encode_cursor(notification):
    """Return the cursor that continues after this notification.

    The cursor is "<microseconds since the epoch>-<id>": created_at orders
    the list and the id breaks ties between rows created in one batch.
    """
    micros = (notification.created_at - EPOCH) // MICROSECOND
    return f"{micros}-{notification.pk}"


def decode_cursor(cursor):
    """Return (created_at, id) from a cursor; raise DomainError if malformed.

    Both parts must be ASCII digits. str.isdigit() alone would accept
    characters such as "²" that int() rejects, and "١" that it reads as 1.
    """
    match = CURSOR_PATTERN.fullmatch(cursor or "")
    if match is None:
        raise DomainError(MSG_BAD_CURSOR, code="bad_cursor")
    micros, pk = match.groups()
    try:
        created_at = EPOCH + int(micros) * MICROSECOND
    except OverflowError as error:
        raise DomainError(MSG_BAD_CURSOR, code="bad_cursor") from error
    return created_at, int(pk)


def notification_page(user, *, cursor=None, page_size=PAGE_SIZE):
    """Return one page of the user's notifications, newest first.

    Keyset pagination on (created_at, id): each page is one indexed query,
    no OFFSET, and rows created meanwhile never shift later pages.
    """
    notifications = Notification.objects.filter(recipient=user)
    if cursor:
        created_at, pk = decode_cursor(cursor)
        notifications = notifications.filter(
            Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk)
        )
    # Fetching one row more than the page shows whether an older page exists.
    rows = list(notifications.order_by("-created_at", "-pk")[: page_size + 1])
    items = rows[:page_size]
    next_cursor = encode_cursor(items[-1]) if len(rows) > page_size else None
    return NotificationPage(items=items, next_cursor=next_cursor)


def unread_count(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
