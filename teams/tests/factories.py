import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from games.models import Game
from teams.models import Membership, Team
from teams.naming import name_key, name_sort_key, slug_base


class TeamFactory(factory.django.DjangoModelFactory):
    """A team row without members; use team_with_captain for a real one."""

    class Meta:
        model = Team

    game = factory.LazyFunction(lambda: Game.objects.get(slug="cs2"))
    name = factory.Sequence(lambda n: f"Team Number {n}")
    name_key = factory.LazyAttribute(lambda team: name_key(team.name))
    name_sort = factory.LazyAttribute(lambda team: name_sort_key(team.name))
    slug = factory.LazyAttribute(lambda team: slug_base(team.name))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    profile = factory.LazyFunction(lambda: UserFactory().profile)
    game = factory.LazyAttribute(lambda membership: membership.team.game)
    role = Membership.Role.PLAYER
    joined_at = factory.LazyFunction(timezone.now)


def team_with_roster(*, roles=("captain",), game_slug="cs2", **team_fields):
    """Create a team and one member per role; return (team, [memberships])."""
    team = TeamFactory(game=Game.objects.get(slug=game_slug), **team_fields)
    members = [MembershipFactory(team=team, role=role) for role in roles]
    return team, members
