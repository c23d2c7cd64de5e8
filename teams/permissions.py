"""The one permission policy for teams: views, the API and the admin ask here.

Each check takes the acting user and the team (and where needed the target
membership) and returns True or False. ``require`` turns a False into a
PermissionDenied that is logged and counted.
"""

import logging

from core.errors import PermissionDenied

from .models import Membership

logger = logging.getLogger(__name__)

Role = Membership.Role
MANAGER_ROLES = frozenset({Role.CAPTAIN, Role.CO_CAPTAIN})

MSG_DENIED = {
    "edit_team": "Only the captain and co-captains can edit this team.",
    "disband_team": "Only the captain can disband this team.",
    "manage_roster": "Only the captain and co-captains can manage this roster.",
    "view_private": "This team is private.",
    "create_team": "Verify your email address before creating a team.",
    "manage_invites": (
        "Only the captain and co-captains can invite players and approve or "
        "reject join requests."
    ),
    "view_roster": "Only members of this team can see its roster page.",
    "leave_team": "You are not a member of this team.",
    "lock_roster": "Only staff can lock and unlock rosters.",
    "change_member_role": (
        "You cannot give this member that role. Co-captains manage players, "
        "substitutes and coaches only, and captaincy moves only by a transfer."
    ),
    "remove_member": (
        "You cannot remove this member. Co-captains can remove players, "
        "substitutes and coaches only, and nobody can remove the captain."
    ),
    "transfer_captaincy": (
        "Only the captain can hand the captaincy to another member."
    ),
}

denial_counts = {}


def active_membership(user, team):
    """Return the user's active membership in the team, or None.

    Views that already loaded it pass it on via ``membership=`` to save a query.
    """
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(
            team=team, profile__user=user, status=Membership.Status.ACTIVE
        )
        .select_related("profile")
        .first()
    )


def _membership(user, team, membership):
    if membership is not None:
        return membership or None
    return active_membership(user, team)


def can_edit_team(user, team, membership=None):
    if not team.is_active:
        return False
    membership = _membership(user, team, membership)
    return membership is not None and membership.role in MANAGER_ROLES


def can_disband_team(user, team, membership=None):
    if not team.is_active:
        return False
    membership = _membership(user, team, membership)
    return membership is not None and membership.role == Role.CAPTAIN


def can_manage_roster(user, team, membership=None):
    return can_edit_team(user, team, membership)


def can_view_private(user, team, membership=None):
    """Members and staff see a private team's full page; others see its card."""
    if not team.is_private:
        return True
    if user.is_authenticated and user.is_staff:
        return True
    return _membership(user, team, membership) is not None


def can_manage_invites(user, team, membership=None):
    """Check the right to send invites, manage links and decide join requests."""
    return can_edit_team(user, team, membership)


def can_create_team(user, team=None, membership=None):
    """Accounts with a verified email address may create teams."""
    from accounts.selectors import user_has_verified_email

    return user_has_verified_email(user)


# Roles a co-captain may manage and hand out; the captain manages all of them.
CO_CAPTAIN_MANAGED_ROLES = frozenset({Role.PLAYER, Role.SUBSTITUTE, Role.COACH})
# Roles the roster page hands out; captaincy moves only by a transfer.
ASSIGNABLE_ROLES = CO_CAPTAIN_MANAGED_ROLES | {Role.CO_CAPTAIN}


def can_view_roster(user, team, membership=None):
    """Members see the roster page; staff see it read-only."""
    if user.is_authenticated and user.is_staff:
        return True
    return team.is_active and _membership(user, team, membership) is not None


def can_leave_team(user, team, membership=None):
    return team.is_active and _membership(user, team, membership) is not None


def can_lock_roster(user, team=None, membership=None):
    return user.is_authenticated and user.is_active and user.is_staff


def _manager_of(user, team, target, membership):
    """Return the acting member's membership if they may act on the target."""
    if not team.is_active or target.team_id != team.pk:
        return None
    membership = _membership(user, team, membership)
    if membership is None or membership.pk == target.pk:
        return None
    return membership


def can_change_member_role(user, team, target, membership=None, *, role):
    """Captain: anyone else, to any assignable role; co-captain: below them."""
    membership = _manager_of(user, team, target, membership)
    if membership is None or role not in ASSIGNABLE_ROLES:
        return False
    if membership.role == Role.CAPTAIN:
        return True
    return (
        membership.role == Role.CO_CAPTAIN
        and target.role in CO_CAPTAIN_MANAGED_ROLES
        and role in CO_CAPTAIN_MANAGED_ROLES
    )


def can_remove_member(user, team, target, membership=None):
    """Captain: anyone else; co-captain: players, substitutes and coaches."""
    membership = _manager_of(user, team, target, membership)
    if membership is None:
        return False
    if membership.role == Role.CAPTAIN:
        return True
    return (
        membership.role == Role.CO_CAPTAIN and target.role in CO_CAPTAIN_MANAGED_ROLES
    )


def can_transfer_captaincy(user, team, target, membership=None):
    membership = _manager_of(user, team, target, membership)
    return membership is not None and membership.role == Role.CAPTAIN


# Checks on an action against one member of the roster (the target).
MEMBER_CHECKS = {
    "change_member_role": can_change_member_role,
    "remove_member": can_remove_member,
    "transfer_captaincy": can_transfer_captaincy,
}


def require_member_action(action, user, team, target, *, membership=None, **options):
    """Raise PermissionDenied unless the user may act on the target membership.

    ``options`` go to the check, for example ``role=`` for a role change.
    """
    if MEMBER_CHECKS[action](user, team, target, membership, **options):
        return
    _deny(action, user, team)


CHECKS = {
    "create_team": can_create_team,
    "edit_team": can_edit_team,
    "disband_team": can_disband_team,
    "manage_roster": can_manage_roster,
    "view_private": can_view_private,
    "manage_invites": can_manage_invites,
    "view_roster": can_view_roster,
    "leave_team": can_leave_team,
    "lock_roster": can_lock_roster,
}


def require(action, user, team=None, membership=None):
    """Raise PermissionDenied unless the user may perform the action."""
    if CHECKS[action](user, team, membership):
        return
    _deny(action, user, team)


def _deny(action, user, team):
    """Log and count a denial, then raise PermissionDenied."""
    denial_counts[action] = denial_counts.get(action, 0) + 1
    logger.warning(
        "permission denied",
        extra={
            "action": action,
            "user_id": getattr(user, "pk", None),
            "team_id": getattr(team, "pk", None),
        },
    )
    raise PermissionDenied(MSG_DENIED[action], code=f"denied_{action}")
