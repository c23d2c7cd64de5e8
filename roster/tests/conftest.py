"""A full roster fixture: one member per role plus an extra player."""

from dataclasses import dataclass

import pytest

from teams.models import Membership, Team
from teams.tests.factories import MembershipFactory, TeamFactory


@dataclass
class Roster:
    team: Team
    captain: Membership
    co_captain: Membership
    player: Membership
    substitute: Membership
    coach: Membership
    # A second player, the member that role changes, removals and transfers
    # act on in the tests.
    target: Membership

    def user(self, role):
        return getattr(self, role).profile.user


def make_roster(game_slug="cs2"):
    from games.models import Game

    team = TeamFactory(game=Game.objects.get(slug=game_slug))
    return Roster(
        team=team,
        captain=MembershipFactory(team=team, role="captain"),
        co_captain=MembershipFactory(team=team, role="co_captain"),
        player=MembershipFactory(team=team, role="player"),
        substitute=MembershipFactory(team=team, role="substitute"),
        coach=MembershipFactory(team=team, role="coach"),
        target=MembershipFactory(team=team, role="player"),
    )


@pytest.fixture
def roster(db):
    return make_roster()


def active_roles(team):
    return dict(
        Membership.objects.filter(team=team, status="active").values_list("pk", "role")
    )


def captain_count(team):
    return Membership.objects.filter(team=team, status="active", role="captain").count()
