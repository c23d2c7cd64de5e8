from types import SimpleNamespace

import pytest

from accounts.tests.factories import UserFactory
from teams.tests.factories import team_with_roster

ROLES = ("captain", "co_captain", "player", "substitute", "coach")


@pytest.fixture
def crew(db):
    """A public CS2 team with one member per role, plus the users by role."""
    team, members = team_with_roster(roles=ROLES, name="Kraków Knights", tag="KRK")
    users = {member.role: member.profile.user for member in members}
    return SimpleNamespace(team=team, members=members, **users)


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")
