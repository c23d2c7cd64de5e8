"""Reads for the invite pages and the pending-invites fragment."""

from django.db.models import Q
from django.utils import timezone

from .models import Invite, InviteLink, InviteLinkUse, JoinRequest


def pending_invites_for_team(team):
    """Return the team's pending, unexpired invites, newest first.

    Feeds invites/_pending_for_team.html (context name: pending_invites).
    """
    return (
        Invite.objects.filter(
            team=team, status=Invite.Status.PENDING, expires_at__gt=timezone.now()
        )
        .select_related("profile", "invited_by")
        .order_by("-created_at", "-pk")
    )


def pending_invites_for_user(user):
    """Return the user's pending, unexpired invites, soonest expiry first."""
    return (
        Invite.objects.filter(
            profile__user=user,
            status=Invite.Status.PENDING,
            expires_at__gt=timezone.now(),
        )
        .select_related("team__game", "invited_by")
        .order_by("expires_at", "pk")
    )


def recent_invites_for_user(user, limit=10):
    """Return the user's accepted, declined, cancelled or expired invites."""
    return (
        Invite.objects.filter(profile__user=user)
        .filter(~Q(status=Invite.Status.PENDING) | Q(expires_at__lte=timezone.now()))
        .select_related("team")
        .order_by("-created_at", "-pk")[:limit]
    )


def invite_links_for_team(team, limit=50):
    return (
        InviteLink.objects.filter(team=team)
        .select_related("created_by")
        .order_by("-created_at", "-pk")[:limit]
    )


def invite_link_uses(link):
    return (
        InviteLinkUse.objects.filter(link=link)
        .select_related("profile")
        .order_by("-used_at", "-pk")
    )


def pending_join_requests_for_team(team):
    return (
        JoinRequest.objects.filter(team=team, status=JoinRequest.Status.PENDING)
        .select_related("profile")
        .order_by("created_at", "pk")
    )


def join_requests_for_user(user, limit=20):
    return (
        JoinRequest.objects.filter(profile__user=user)
        .select_related("team")
        .order_by("-created_at", "-pk")[:limit]
    )


def pending_join_request(team, user):
    if not user.is_authenticated:
        return None
    return JoinRequest.objects.filter(
        team=team, profile__user=user, status=JoinRequest.Status.PENDING
    ).first()
