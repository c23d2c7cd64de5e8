import io
from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q

from accounts.models import GameAccount, User
from rankings.models import LedgerEntry
from teams.demo import ADMIN_USERNAME, DEMO_PASSWORD, TEAMS_PER_GAME
from teams.models import Membership, Team


def _seed(seed=7):
    output = io.StringIO()
    call_command("seed_demo", seed=seed, stdout=output)
    return output.getvalue()


def _snapshot_of_fresh_seed(seed):
    """Seed an empty database, read the teams, then roll everything back."""
    with transaction.atomic():
        _seed(seed)
        teams = list(
            Team.objects.order_by("game__slug", "name").values_list(
                "game__slug", "name", "tag", "slug", "total_points", "privacy"
            )
        )
        transaction.set_rollback(True)
    return teams


@pytest.mark.django_db
def test_same_seed_same_teams():
    first = _snapshot_of_fresh_seed(11)
    second = _snapshot_of_fresh_seed(11)
    assert len(first) == 40
    assert first == second


@pytest.mark.django_db
def test_other_seed_other_teams():
    first = {row[1] for row in _snapshot_of_fresh_seed(11)}
    second = {row[1] for row in _snapshot_of_fresh_seed(12)}
    assert first != second


@pytest.mark.django_db
def test_rerun_duplicates_nothing():
    _seed()
    counts = (User.objects.count(), Team.objects.count(), Membership.objects.count())
    output = _seed()
    assert "already present" in output
    assert counts == (
        User.objects.count(),
        Team.objects.count(),
        Membership.objects.count(),
    )
    assert LedgerEntry.objects.count() == 40


@pytest.mark.django_db
def test_demo_community_shape():
    _seed()
    assert 200 <= User.objects.count() <= 210
    assert EmailAddress.objects.filter(verified=False).count() == 0
    per_game = Counter(Team.objects.values_list("game__slug", flat=True))
    assert per_game == Counter(TEAMS_PER_GAME)
    assert Team.objects.filter(privacy=Team.Privacy.PRIVATE).exists()
    assert Team.objects.filter(is_recruiting=True).exists()
    assert Team.objects.filter(is_recruiting=False).exists()
    assert not Team.objects.filter(Q(region__isnull=True) | Q(country="")).exists()
    assert not Team.objects.filter(description="").exists()
    assert GameAccount.objects.count() > 100
    admin = User.objects.get(username=ADMIN_USERNAME)
    assert admin.is_staff
    assert admin.check_password(DEMO_PASSWORD)
    assert User.objects.exclude(pk=admin.pk).first().check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_rosters_within_rules():
    _seed()
    for team in Team.objects.select_related("game"):
        active = team.memberships.filter(status="active")
        roles = Counter(active.values_list("role", flat=True))
        players = sum(count for role, count in roles.items() if role != "coach")
        assert roles["captain"] == 1, team
        assert 1 <= players <= team.game.roster_limit, team
        assert roles["coach"] <= team.game.max_coaches, team
        assert not active.exclude(game=team.game).exists()
    doubles = (
        Membership.objects.filter(status="active")
        .values("profile", "game")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
    )
    assert not doubles.exists()


@pytest.mark.django_db
def test_points_from_ledger():
    _seed()
    for team in Team.objects.all():
        entry = LedgerEntry.objects.get(idempotency_key=f"demo:{team.slug}")
        assert entry.team_id == team.pk
        assert entry.amount == team.total_points
        assert team.total_points > 0
