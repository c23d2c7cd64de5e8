"""Receivers for signals from other apps."""

from django.dispatch import receiver

from notifications.services import notify
from teams.signals import team_created, team_disbanded

from . import kinds
from .models import RosterEvent
from .services import team_page_url

Kind = RosterEvent.Kind


@receiver(team_created, dispatch_uid="roster_record_creation")
def record_creation(sender, team, actor, membership, **kwargs):
    """Start the roster history with the creator joining as captain."""
    RosterEvent.objects.create(
        team=team,
        profile=membership.profile,
        kind=Kind.JOINED,
        actor=actor,
        role=membership.role,
        created_at=membership.joined_at,
        data={"reason": "created"},
    )


@receiver(team_disbanded, dispatch_uid="roster_record_disband")
def record_disband(sender, team, actor, memberships, at, **kwargs):
    """Record a "left" event per ended membership and one "disbanded" event,
    then notify the former members except the one who disbanded.

    Runs inside the disbanding transaction, so all of it rolls back together.
    """
    actor = actor if actor is not None and actor.is_authenticated else None
    events = [
        RosterEvent(
            team=team,
            profile=membership.profile,
            kind=Kind.LEFT,
            actor=actor,
            role=membership.role,
            created_at=at,
            data={"reason": "disbanded"},
        )
        for membership in memberships
    ]
    events.append(
        RosterEvent(team=team, kind=Kind.DISBANDED, actor=actor, created_at=at)
    )
    RosterEvent.objects.bulk_create(events)
    member_user_ids = {m.profile.user_id for m in memberships if m.profile.user_id}
    actor_is_member = actor is not None and actor.pk in member_user_ids
    notify(
        sorted(member_user_ids - {getattr(actor, "pk", None)}),
        kinds.DISBANDED,
        actor=actor,
        team=team,
        data={"actor_is_member": actor_is_member},
        url=team_page_url(team),
    )
