"""Thin wrappers over notifications.services for the kinds in invites.kinds."""

from notifications.services import notify
from teams.models import Membership


def notify_users(users, kind, *, actor=None, team=None, data=None, url=""):
    """Notify the given users, skipping None (an invitee without an account)."""
    users = [user for user in users if user is not None]
    if users:
        notify(users, kind, actor=actor, team=team, data=data, url=url)


def notify_managers(team, kind, *, actor=None, data=None, url=""):
    """Notify the team's captain and co-captains that have an account."""
    user_ids = Membership.objects.filter(
        team=team,
        status=Membership.Status.ACTIVE,
        role__in=[Membership.Role.CAPTAIN, Membership.Role.CO_CAPTAIN],
        profile__user__isnull=False,
    ).values_list("profile__user_id", flat=True)
    notify(list(user_ids), kind, actor=actor, team=team, data=data, url=url)
