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


CHECKS = {
    "edit_team": can_edit_team,
    "disband_team": can_disband_team,
    "manage_roster": can_manage_roster,
    "view_private": can_view_private,
}


def require(action, user, team, membership=None):
    """Raise PermissionDenied unless the user may perform the action."""
    if CHECKS[action](user, team, membership):
        return
    denial_counts[action] = denial_counts.get(action, 0) + 1
    logger.warning(
        "permission denied",
        extra={
            "action": action,
            "user_id": getattr(user, "pk", None),
            "team_id": team.pk,
        },
    )
    raise PermissionDenied(MSG_DENIED[action], code=f"denied_{action}")
