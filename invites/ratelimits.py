"""Fixed-window rate limits on invites, invite links and join requests.

Counters live in the cache (Redis in production) through django-ratelimit's
get_usage. They are keyed on a team or a user id that the server chose, never
on a client address or header. A counter grows on every attempt that passed
validation and reached the limit check, over-limit attempts included, and it
resets when its window ends.
"""

import logging

from django.conf import settings
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

from core.errors import RateLimited

logger = logging.getLogger(__name__)

MSG_INVITES_PER_TEAM = (
    "This team has sent its maximum of {limit} invites for this period. "
    "Try again in {wait}."
)
MSG_LINKS_PER_TEAM = (
    "This team has created its maximum of {limit} invite links for this period. "
    "Try again in {wait}."
)
MSG_EMAIL_INVITES_PER_USER = (
    "You have sent the maximum of {limit} email invites for this period. "
    "Try again in {wait}, or invite players by their handle."
)
MSG_REQUESTS_PER_USER = (
    "You have sent the maximum of {limit} join requests for this period. "
    "Try again in {wait}."
)

# Default of settings.INVITE_EMAIL_RATE_PER_USER: invites mailed by one user,
# over all of their teams.
DEFAULT_EMAIL_RATE_PER_USER = "30/d"

# Number of attempts let through because the cache failed, for a metrics exporter.
cache_failures = {"count": 0}


def _wait_text(seconds):
    if seconds < 120:
        return f"{seconds} seconds"
    minutes = -(-seconds // 60)
    if minutes < 120:
        return f"{minutes} minutes"
    return f"{-(-minutes // 60)} hours"


def _hit(group, key, rate, message):
    """Count one attempt; raise RateLimited once the window's limit is passed.

    When the cache is unreachable the attempt is let through (fail open) and
    logged: invites are not worth an outage of the recruiting pages.
    """
    try:
        usage = get_usage(
            None,
            group=group,
            key=lambda _group, _request: key,
            rate=rate,
            increment=True,
        )
    except (RedisError, ConnectionError, OSError) as error:
        cache_failures["count"] += 1
        logger.warning(
            "rate limit cache unavailable, letting the attempt through",
            extra={"group": group, "key": key, "error": str(error)},
        )
        return
    if usage is None:
        return
    if usage["time_left"] < 0:
        # get_usage reports a failed cache read or increment this way.
        cache_failures["count"] += 1
        logger.warning(
            "rate limit counter unreadable, letting the attempt through",
            extra={"group": group, "key": key},
        )
        return
    if not usage["should_limit"]:
        return
    # get_usage still counts into this window at its last second, so the
    # next window starts one second after time_left runs out.
    retry_after = usage["time_left"] + 1
    logger.info(
        "rate limit reached",
        extra={"group": group, "key": key, "retry_after": retry_after},
    )
    raise RateLimited(
        message.format(limit=usage["limit"], wait=_wait_text(retry_after)),
        retry_after=retry_after,
        code="rate_limited",
    )


def hit_invite_send(team):
    _hit(
        "invites.send",
        f"team:{team.pk}",
        settings.INVITE_RATE_PER_TEAM,
        MSG_INVITES_PER_TEAM,
    )


def hit_invite_link_create(team):
    _hit(
        "invites.link",
        f"team:{team.pk}",
        settings.INVITE_LINK_RATE_PER_TEAM,
        MSG_LINKS_PER_TEAM,
    )


def hit_invite_email(user):
    """Count an invite that goes out by email, per inviter.

    The per-team limit alone restarts with every team the user creates, so
    this limit is keyed on the user.
    """
    _hit(
        "invites.email",
        f"user:{user.pk}",
        getattr(settings, "INVITE_EMAIL_RATE_PER_USER", DEFAULT_EMAIL_RATE_PER_USER),
        MSG_EMAIL_INVITES_PER_USER,
    )


def hit_join_request(user):
    _hit(
        "invites.join_request",
        f"user:{user.pk}",
        settings.JOIN_REQUEST_RATE_PER_USER,
        MSG_REQUESTS_PER_USER,
    )
