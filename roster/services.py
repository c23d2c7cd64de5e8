"""Roster writes: joins, role changes, removals, transfers, leaving and locks.

Every write runs in one transaction that first locks the team row with
SELECT ... FOR UPDATE and then re-reads the active memberships, so checks
on capacity, roles and the roster lock see the state that is committed.
"""

import logging
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import Conflict, DomainError, NotFound
from notifications.services import notify, notify_team
from teams.models import Membership, Team
from teams.permissions import ASSIGNABLE_ROLES, require, require_member_action

from . import kinds
from .models import RosterEvent, RosterLock
from .selectors import lock_until_text, roster_usage

logger = logging.getLogger(__name__)

Role = Membership.Role
Status = Membership.Status
Kind = RosterEvent.Kind

MSG_ROSTER_FULL = (
    "The roster is full ({count} of {limit} players and substitutes). "
    "A member has to leave or become a coach first."
)
MSG_COACHES_FULL = (
    "The team already has {count} of {limit} coaches, the maximum for {game}. "
    "A coach has to leave or take another role first."
)
MSG_ROSTER_LOCKED_UNTIL = (
    "Staff locked this roster until {until}{reason}. "
    "Roster changes are possible again after that."
)
MSG_ROSTER_LOCKED = (
    "Staff locked this roster{reason} until they unlock it. "
    "No roster changes are possible before then."
)
MSG_DISBANDED = "This team was disbanded, so its roster cannot change."
MSG_MEMBER_NOT_FOUND = (
    "That member is no longer on this team's roster. Reload the roster page."
)
MSG_ROLE_INVALID = "Choose one of these roles: co-captain, player, substitute or coach."
MSG_ALREADY_MEMBER = "{profile} is already a member of {team}."
MSG_ALREADY_IN_GAME = (
    "{profile} is already in a {game} team: {team}. "
    "A player can be in only one {game} team at a time."
)
MSG_CAPTAIN_MUST_TRANSFER = (
    "Hand the captaincy to another member before you leave. "
    "Only the last member can leave without a transfer, which disbands the team."
)
MSG_TRANSFER_NEEDS_ACCOUNT = (
    "Captaincy can go only to a member with an account, and {profile} has none yet."
)
MSG_LOCK_UNTIL_PAST = (
    "The lock end time is in the past. Pick a future time, or leave it empty "
    "to lock until staff unlock the roster."
)


class LeaveResult(NamedTuple):
    membership: Membership
    disbanded: bool


def roster_page_url(team):
    return reverse("roster:page", kwargs={"slug": team.slug})


def team_page_url(team):
    return reverse("teams:detail", kwargs={"slug": team.slug})


def _role_label(role):
    return Role(role).label.lower()


# ---- Events ---------------------------------------------------------------


def roster_event_record(
    team,
    kind,
    *,
    profile=None,
    actor=None,
    role="",
    previous_role="",
    at=None,
    data=None,
):
    """Append one roster event; importers pass ``at`` for past changes."""
    if kind not in Kind.values:
        raise ValueError(f"Unknown roster event kind {kind!r}.")
    return RosterEvent.objects.create(
        team=team,
        profile=profile,
        kind=kind,
        actor=actor,
        role=role or "",
        previous_role=previous_role or "",
        created_at=at or timezone.now(),
        data=data or {},
    )


# ---- Checks shared by every change ----------------------------------------


def _lock_team(team):
    # The row lock serializes every roster change of this team, so the
    # checks below stay true until commit. "of" keeps the game row unlocked.
    # Every team row lock in the project is FOR NO KEY UPDATE. It still
    # serializes writers, and in PostgreSQL it does not conflict with the
    # KEY SHARE locks that inserts referencing the team take (memberships,
    # snapshot entries), so the ranking job cannot deadlock with this change.
    locked = (
        Team.objects.select_related("game")
        .select_for_update(no_key=True, of=("self",))
        .get(pk=team.pk)
    )
    if not locked.is_active:
        raise Conflict(MSG_DISBANDED, code="disbanded")
    return locked


def _active_members(team):
    return list(
        Membership.objects.filter(team=team, status=Status.ACTIVE)
        .select_related("profile")
        .order_by("joined_at", "pk")
    )


def _lock_roster(team, actor):
    """Lock the team row; return (team, active members, the actor's membership)."""
    team = _lock_team(team)
    members = _active_members(team)
    mine = None
    if actor is not None and actor.is_authenticated:
        mine = next((m for m in members if m.profile.user_id == actor.pk), None)
    return team, members, mine


def _lock_for_member_action(team, actor, membership_id, action, **details):
    """Lock the roster and check that the actor may act on that member.

    Returns (team, members, the actor's membership, the target membership).
    """
    team, members, mine = _lock_roster(team, actor)
    require("manage_roster", actor, team, membership=mine or False)
    target = _target(members, membership_id)
    require_member_action(action, actor, team, target, membership=mine, **details)
    _check_unlocked(team)
    return team, members, mine, target


def _target(members, membership_id):
    target = next((m for m in members if m.pk == membership_id), None)
    if target is None:
        raise NotFound(MSG_MEMBER_NOT_FOUND, code="member_not_found")
    return target


def lock_message(lock):
    reason = f" ({lock.reason})" if lock.reason else ""
    if lock.until is None:
        return MSG_ROSTER_LOCKED.format(reason=reason)
    return MSG_ROSTER_LOCKED_UNTIL.format(
        until=lock_until_text(lock.until), reason=reason
    )


def _check_unlocked(team):
    lock = RosterLock.objects.filter(team=team).first()
    if lock is not None and lock.is_active():
        raise Conflict(lock_message(lock), code="roster_locked")


def _check_capacity(team, members, *, new_role, old_role=None):
    """Raise Conflict if moving a member from old_role to new_role overfills.

    Captains, co-captains, players and substitutes take roster slots up to
    game.roster_limit; coaches take none but count against max_coaches. A
    change that does not add to a full group passes even if the group is
    over its limit (for example after staff lowered it).
    """
    game = team.game
    slots, coaches = roster_usage(members)
    if new_role == Role.COACH:
        if old_role != Role.COACH and coaches + 1 > game.max_coaches:
            raise Conflict(
                MSG_COACHES_FULL.format(
                    count=coaches, limit=game.max_coaches, game=game.name
                ),
                code="roster_full",
            )
    elif old_role in (None, Role.COACH) and slots + 1 > game.roster_limit:
        raise Conflict(
            MSG_ROSTER_FULL.format(count=slots, limit=game.roster_limit),
            code="roster_full",
        )


def _end_membership(membership, now):
    membership.status = Status.ENDED
    membership.ended_at = now
    membership.save(update_fields=["status", "ended_at"])


# ---- Joining ----------------------------------------------------------------


def membership_join(team, profile, *, role, actor=None, via="invite"):
    """Add a profile to the roster and return the new membership.

    Invites, join requests and invite links all join through this function.

    Raises Conflict with code "disbanded", "roster_locked",
    "already_member", "already_in_game" or "roster_full", and DomainError
    for a role that cannot be joined (captain).
    """
    if role not in ASSIGNABLE_ROLES:
        raise DomainError(MSG_ROLE_INVALID, code="invalid_role")
    with transaction.atomic():
        team, members, _ = _lock_roster(team, None)
        _check_unlocked(team)
        if any(member.profile_id == profile.pk for member in members):
            raise Conflict(
                MSG_ALREADY_MEMBER.format(profile=profile.name, team=team.name),
                code="already_member",
            )
        other = (
            Membership.objects.filter(
                profile=profile, game=team.game, status=Status.ACTIVE
            )
            .select_related("team")
            .first()
        )
        if other is not None:
            raise _already_in_game(profile, team, other.team.name)
        _check_capacity(team, members, new_role=role)
        try:
            # A savepoint, so a lost race leaves the transaction usable.
            with transaction.atomic():
                membership = Membership.objects.create(
                    team=team,
                    profile=profile,
                    game=team.game,
                    role=role,
                    joined_at=timezone.now(),
                )
        except IntegrityError as error:
            # A join to another team of the game committed after the check
            # above; the one-active-membership-per-game index caught it.
            raise _already_in_game(profile, team, "another team") from error
        roster_event_record(
            team,
            Kind.JOINED,
            profile=profile,
            actor=actor,
            role=role,
            at=membership.joined_at,
            data={"via": via},
        )
    logger.info(
        "member joined",
        extra={"team_id": team.pk, "profile_id": profile.pk, "via": via},
    )
    return membership


def _already_in_game(profile, team, other_team_name):
    return Conflict(
        MSG_ALREADY_IN_GAME.format(
            profile=profile.name, game=team.game.name, team=other_team_name
        ),
        code="already_in_game",
    )


# ---- Changes by the captain and co-captains --------------------------------


def roster_change_role(team, membership_id, role, *, actor):
    """Give a member another role; return the membership."""
    if role not in ASSIGNABLE_ROLES:
        raise DomainError(MSG_ROLE_INVALID, code="invalid_role")
    with transaction.atomic():
        team, members, mine, target = _lock_for_member_action(
            team, actor, membership_id, "change_member_role", role=role
        )
        if target.role == role:
            return target
        _check_capacity(team, members, new_role=role, old_role=target.role)
        previous = target.role
        target.role = role
        target.save(update_fields=["role"])
        roster_event_record(
            team,
            Kind.ROLE_CHANGED,
            profile=target.profile,
            actor=actor,
            role=role,
            previous_role=previous,
        )
        if target.profile.user_id:
            notify(
                [target.profile.user_id],
                kinds.ROLE_CHANGED,
                actor=actor,
                team=team,
                data={
                    "role": _role_label(role),
                    "previous_role": _role_label(previous),
                },
                url=roster_page_url(team),
            )
    logger.info(
        "member role changed",
        extra={"team_id": team.pk, "membership_id": target.pk, "role": role},
    )
    return target


def roster_remove_member(team, membership_id, *, actor):
    """End a member's membership; return it."""
    with transaction.atomic():
        team, members, mine, target = _lock_for_member_action(
            team, actor, membership_id, "remove_member"
        )
        _end_membership(target, timezone.now())
        roster_event_record(
            team,
            Kind.REMOVED,
            profile=target.profile,
            actor=actor,
            role=target.role,
            at=target.ended_at,
        )
        if target.profile.user_id:
            notify(
                [target.profile.user_id],
                kinds.REMOVED,
                actor=actor,
                team=team,
                url=team_page_url(team),
            )
    logger.info(
        "member removed", extra={"team_id": team.pk, "membership_id": target.pk}
    )
    return target


def roster_transfer_captaincy(team, membership_id, *, actor):
    """Make another member captain; the old captain becomes a co-captain."""
    with transaction.atomic():
        team, members, mine, target = _lock_for_member_action(
            team, actor, membership_id, "transfer_captaincy"
        )
        if not target.profile.user_id:
            raise DomainError(
                MSG_TRANSFER_NEEDS_ACCOUNT.format(profile=target.profile.name),
                code="transfer_needs_account",
            )
        _check_capacity(team, members, new_role=Role.CAPTAIN, old_role=target.role)
        previous = target.role
        # Demote first: the database allows one active captain per team.
        mine.role = Role.CO_CAPTAIN
        mine.save(update_fields=["role"])
        target.role = Role.CAPTAIN
        target.save(update_fields=["role"])
        roster_event_record(
            team,
            Kind.CAPTAIN_TRANSFERRED,
            profile=target.profile,
            actor=actor,
            role=Role.CAPTAIN,
            previous_role=previous,
            data={
                "previous_captain": mine.profile.name,
                "previous_captain_profile_id": mine.profile_id,
            },
        )
        notify_team(
            team,
            kinds.CAPTAIN_TRANSFERRED,
            actor=actor,
            data={"captain": target.profile.name},
            url=roster_page_url(team),
        )
    logger.info(
        "captaincy transferred",
        extra={"team_id": team.pk, "membership_id": target.pk},
    )
    return target


# ---- Leaving ------------------------------------------------------------------


def roster_leave(team, *, actor):
    """End the actor's own membership.

    A captain leaves only after a transfer, unless no other member has an
    account. A captain who is the last member disbands the team. A captain
    who leaves only unclaimed profiles behind leaves the team without a
    captain, like an imported team, until staff hand it to an account.
    """
    from teams.services import team_disband

    with transaction.atomic():
        team, members, mine = _lock_roster(team, actor)
        require("leave_team", actor, team, membership=mine or False)
        _check_unlocked(team)
        others = [member for member in members if member.pk != mine.pk]
        if mine.role == Role.CAPTAIN and not others:
            team_disband(team, actor=actor, check_permission=False)
            mine.refresh_from_db()
            return LeaveResult(mine, disbanded=True)
        if mine.role == Role.CAPTAIN and any(m.profile.user_id for m in others):
            raise Conflict(MSG_CAPTAIN_MUST_TRANSFER, code="captain_must_transfer")
        _end_membership(mine, timezone.now())
        roster_event_record(
            team,
            Kind.LEFT,
            profile=mine.profile,
            actor=actor,
            role=mine.role,
            at=mine.ended_at,
        )
    logger.info("member left", extra={"team_id": team.pk, "membership_id": mine.pk})
    return LeaveResult(mine, disbanded=False)


# ---- Staff locks --------------------------------------------------------------


def roster_lock(team, *, actor, until=None, reason=""):
    """Lock the roster until a time, or until staff unlock it; return the lock.

    Locking a locked roster replaces its end time and reason.
    """
    require("lock_roster", actor, team)
    now = timezone.now()
    if until is not None and until <= now:
        raise DomainError(MSG_LOCK_UNTIL_PAST, code="lock_until_past")
    reason = (reason or "").strip()
    with transaction.atomic():
        team = _lock_team(team)
        lock, _ = RosterLock.objects.update_or_create(
            team=team,
            defaults={
                "until": until,
                "reason": reason,
                "locked_by": actor,
                "locked_at": now,
            },
        )
        until_text = lock_until_text(until) if until else ""
        roster_event_record(
            team,
            Kind.LOCKED,
            actor=actor,
            at=now,
            data={
                "until": until.isoformat() if until else None,
                "until_text": until_text,
                "reason": reason,
            },
        )
        notify_team(
            team,
            kinds.LOCKED,
            actor=actor,
            data={"until": until_text, "reason": reason},
            url=roster_page_url(team),
        )
    logger.info(
        "roster locked",
        extra={"team_id": team.pk, "actor_id": actor.pk, "until": until_text},
    )
    return lock


def roster_unlock(team, *, actor):
    """Remove the roster lock; return False if the roster was not locked.

    An expired lock is deleted without an event or notification, because
    roster changes were already possible.
    """
    require("lock_roster", actor, team)
    with transaction.atomic():
        # The row lock that roster changes take, so none runs during the unlock.
        team = Team.objects.select_for_update(no_key=True).get(pk=team.pk)
        lock = RosterLock.objects.filter(team=team).first()
        if lock is None:
            return False
        was_active = lock.is_active()
        lock.delete()
        if not was_active:
            return False
        roster_event_record(team, Kind.UNLOCKED, actor=actor)
        if team.is_active:
            notify_team(team, kinds.UNLOCKED, actor=actor, url=roster_page_url(team))
    logger.info("roster unlocked", extra={"team_id": team.pk, "actor_id": actor.pk})
    return True
