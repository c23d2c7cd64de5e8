"""Roster reads: the members, the lock and the history."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Min, OuterRef, Subquery
from django.utils import timezone

from teams.models import Membership

from .models import RosterEvent, RosterLock

TIMELINE_LIMIT = 30
ALUMNI_LIMIT = 50

Role = Membership.Role
Status = Membership.Status


@dataclass(frozen=True)
class Alumnus:
    """A former member: first join, last departure and the last role held."""

    profile_id: int
    handle: str
    name: str
    joined_at: datetime
    left_at: datetime
    role: str

    @property
    def role_label(self):
        return Role(self.role).label if self.role else ""


@dataclass(frozen=True)
class RosterHistory:
    alumni: list[Alumnus]
    timeline: list[RosterEvent]


def roster_lock_active(team, now=None):
    """Return the team's roster lock if it is active now, else None."""
    lock = RosterLock.objects.filter(team=team).first()
    if lock is not None and lock.is_active(now):
        return lock
    return None


def roster_members(team):
    """Return the active memberships, captain first, then by join date."""
    order = {Role.CAPTAIN: 0, Role.CO_CAPTAIN: 1, Role.PLAYER: 2, Role.SUBSTITUTE: 3}
    members = list(
        Membership.objects.filter(team=team, status=Status.ACTIVE)
        .select_related("profile")
        .order_by("joined_at", "pk")
    )
    members.sort(key=lambda member: order.get(member.role, 4))
    return members


def roster_usage(members):
    """Return (slots used, coaches) for a list of active memberships."""
    coaches = sum(1 for member in members if member.role == Role.COACH)
    return len(members) - coaches, coaches


def _alumni(team, limit):
    ended = Membership.objects.filter(team=team, status=Status.ENDED)
    current = Membership.objects.filter(team=team, status=Status.ACTIVE).values(
        "profile"
    )
    last_role = (
        ended.filter(profile=OuterRef("profile"))
        .order_by("-ended_at", "-pk")
        .values("role")[:1]
    )
    rows = (
        ended.exclude(profile__in=current)
        .values("profile", "profile__handle", "profile__display_name")
        .annotate(
            first_joined=Min("joined_at"),
            last_left=Max("ended_at"),
            last_role=Subquery(last_role),
        )
        .order_by("-last_left", "-profile")[:limit]
    )
    return [
        Alumnus(
            profile_id=row["profile"],
            handle=row["profile__handle"],
            name=row["profile__display_name"] or row["profile__handle"],
            joined_at=row["first_joined"],
            left_at=row["last_left"],
            role=row["last_role"] or "",
        )
        for row in rows
    ]


def team_roster_history(
    team, *, timeline_limit=TIMELINE_LIMIT, alumni_limit=ALUMNI_LIMIT
):
    """Return the team's alumni and its recent roster events, in two queries.

    Alumni come from ended memberships (one row per profile, current
    members left out); the timeline is the newest roster events first.
    """
    timeline = list(
        RosterEvent.objects.filter(team=team)
        .select_related("profile", "actor")
        .order_by("-created_at", "-id")[:timeline_limit]
    )
    return RosterHistory(alumni=_alumni(team, alumni_limit), timeline=timeline)


def lock_until_text(until):
    """Format a lock end time for messages, in the site's time zone."""
    return timezone.localtime(until).strftime("%Y-%m-%d %H:%M %Z")
