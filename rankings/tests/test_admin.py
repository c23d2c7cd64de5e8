import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from rankings.models import LedgerEntry
from rankings.services import rank_game
from teams.models import Team

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:rankings_ledgerentry_add")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_adjustment_added_in_admin(staff_client, staff_user, cs2, make_team):
    leader = make_team("Leader", 100)
    chaser = make_team("Chaser", 80)
    rank_game(cs2)

    response = staff_client.post(
        ADD_URL,
        {"team": chaser.pk, "amount": "25", "reason": "Forfeit win awarded"},
    )

    assert response.status_code == 302
    entry = LedgerEntry.objects.get(team=chaser, source="adjustment")
    assert entry.amount == 25
    assert entry.reason == "Forfeit win awarded"
    assert entry.created_by == staff_user
    assert entry.idempotency_key.startswith("adjustment:")
    assert Team.objects.get(pk=chaser.pk).total_points == 105

    rank_game(cs2)
    page = staff_client.get(reverse("rankings:leaderboard"), {"game": "cs2"})
    rows = page.context["board"].rows
    assert [(row.team.pk, row.rank) for row in rows] == [(chaser.pk, 1), (leader.pk, 2)]
    output = io.StringIO()
    call_command("leaderboard", "--game", "cs2", "--format", "csv", stdout=output)
    lines = list(csv.reader(io.StringIO(output.getvalue())))
    assert lines[1][:3] == ["1", "105", "Chaser"]


def test_add_form_fields(staff_client):
    content = staff_client.get(ADD_URL).content.decode()
    assert 'name="team"' in content
    assert 'name="amount"' in content
    assert 'name="reason"' in content
    assert 'name="source"' not in content
    assert 'name="idempotency_key"' not in content


def test_adjustment_zero_rejected(staff_client, make_team):
    team = make_team("Zero", 10)
    response = staff_client.post(
        ADD_URL, {"team": team.pk, "amount": "0", "reason": "Nothing"}
    )
    assert response.status_code == 200
    assert "Enter a non-zero number of points." in response.content.decode()
    assert not LedgerEntry.objects.filter(source="adjustment").exists()


def test_entry_cannot_be_changed_or_deleted(staff_client, make_team):
    team = make_team("Fixed", 10)
    entry = LedgerEntry.objects.get(team=team)
    change_url = reverse("admin:rankings_ledgerentry_change", args=[entry.pk])
    delete_url = reverse("admin:rankings_ledgerentry_delete", args=[entry.pk])

    view = staff_client.get(change_url)
    post = staff_client.post(
        change_url, {"team": team.pk, "amount": "999", "reason": "Edited"}
    )
    delete = staff_client.post(delete_url, {"post": "yes"})

    assert view.status_code == 200
    assert 'name="amount"' not in view.content.decode()
    assert post.status_code == 403
    assert delete.status_code == 403
    entry.refresh_from_db()
    assert entry.amount == 10
    assert Team.objects.get(pk=team.pk).total_points == 10


@pytest.mark.parametrize(
    "name", ["teamranking", "rankingsnapshot", "snapshotentry", "ledgerentry"]
)
def test_changelists_load(staff_client, cs2, make_team, name):
    make_team("Listed", 10)
    rank_game(cs2)
    response = staff_client.get(reverse(f"admin:rankings_{name}_changelist"))
    assert response.status_code == 200
