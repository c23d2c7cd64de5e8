"""Helpers shared by the invite, invite link and join request services."""

from django.urls import reverse

from core.errors import Conflict, DomainError
from teams.models import Membership, Team
from teams.permissions import require
from teams.services import MSG_DISBANDED

from ..models import OFFERED_ROLES

MSG_NO_PROFILE = "Your account has no player profile."
MSG_ROLE_INVALID = "Choose a role: player, substitute or coach."


def profile_of(user):
    profile = getattr(user, "profile", None)
    if profile is None:
        raise DomainError(MSG_NO_PROFILE, code="no_profile")
    return profile


def clean_role(role):
    """Return the role if an invite, link or request may offer it."""
    if role not in OFFERED_ROLES:
        raise DomainError(MSG_ROLE_INVALID, code="role_invalid")
    return Membership.Role(role)


def require_active(team):
    if not team.is_active:
        raise Conflict(MSG_DISBANDED, code="disbanded")


def lock_team(team_id):
    """Lock the team row; every join path takes this lock first.

    Holding it serializes all joins into one team, so the checks in
    roster.services.membership_join (which locks the same row again) see
    every committed member. Every service in this package that locks an
    invite, request or link row locks its team row first, so two of them
    cannot deadlock.
    """
    return Team.objects.select_for_update(no_key=True).get(pk=team_id)


def lock_team_as_manager(team_id, actor):
    """Lock the team row, then require the actor's right to manage invites.

    The actor's membership is read after the lock, which roster changes take
    too, so a captain or co-captain demoted or removed by a change that
    committed first is refused. Returns the locked team.
    """
    team = lock_team(team_id)
    require("manage_invites", actor, team)
    return team


def active_membership(team, profile):
    return Membership.objects.filter(
        team=team, profile=profile, status=Membership.Status.ACTIVE
    ).first()


def team_url(team):
    return reverse("teams:detail", kwargs={"slug": team.slug})
