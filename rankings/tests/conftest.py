import pytest

from games.models import Region
from rankings.services import ledger_add
from teams.tests.factories import TeamFactory


@pytest.fixture
def europe(db):
    return Region.objects.get(slug="europe")


@pytest.fixture
def asia(db):
    return Region.objects.get(slug="asia")


@pytest.fixture
def make_team(cs2):
    """Create a team in CS2 (by default) and give it points through the ledger."""

    def make(name, points=0, **fields):
        fields.setdefault("game", cs2)
        team = TeamFactory(name=name, **fields)
        if points:
            ledger_add(
                team,
                amount=points,
                source="match",
                reason="Test points",
                idempotency_key=f"test:{team.pk}:{points}",
            )
        return team

    return make
