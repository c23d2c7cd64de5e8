import secrets
from datetime import timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from invites.models import Invite, InviteLink, JoinRequest
from invites.services.links import hash_token
from teams.tests.factories import MembershipFactory, TeamFactory


class InviteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invite

    team = factory.SubFactory(TeamFactory)
    profile = factory.LazyFunction(lambda: UserFactory().profile)
    role = "player"
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda i: i.created_at + timedelta(days=7))


class InviteLinkFactory(factory.django.DjangoModelFactory):
    """A link row; use link_with_token() when the test needs the clear token."""

    class Meta:
        model = InviteLink

    team = factory.SubFactory(TeamFactory)
    token_hash = factory.Sequence(lambda n: hash_token(f"token-{n}"))
    role = "player"
    max_uses = 5
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda link: link.created_at + timedelta(days=7))


def link_with_token(**fields):
    """Create a link and return (link, token)."""
    token = secrets.token_urlsafe(24)
    return InviteLinkFactory(token_hash=hash_token(token), **fields), token


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    team = factory.SubFactory(TeamFactory)
    profile = factory.LazyFunction(lambda: UserFactory().profile)
    role = "player"
    created_at = factory.LazyFunction(timezone.now)


def fill_roster(team, free_slots=0):
    """Add players until only free_slots player slots are left."""
    taken = team.memberships.filter(status="active").exclude(role="coach").count()
    for _ in range(team.game.roster_limit - taken - free_slots):
        MembershipFactory(team=team, role="player")
