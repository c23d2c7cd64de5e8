import pytest

from accounts.tests.factories import UserFactory
from teams.tests.factories import MembershipFactory, team_with_roster


@pytest.fixture
def team(db):
    """A recruiting CS2 team with a captain and a co-captain."""
    team, _members = team_with_roster(
        roles=("captain", "co_captain"), is_recruiting=True
    )
    return team


@pytest.fixture
def captain(team):
    return team.memberships.get(role="captain").profile.user


@pytest.fixture
def co_captain(team):
    return team.memberships.get(role="co_captain").profile.user


@pytest.fixture
def member(team):
    """A plain player of the team."""
    return MembershipFactory(team=team, role="player").profile.user


@pytest.fixture
def outsider(db):
    return UserFactory()
