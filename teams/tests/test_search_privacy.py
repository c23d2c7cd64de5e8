"""Team search hides the points, region and recruiting of private teams."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from games.models import Region
from teams.models import Team
from teams.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db

URL = reverse("teams:search")


@pytest.fixture
def teams(db):
    """Two public and two private teams; private points would sort them first."""
    return {
        "Zulu Hidden": TeamFactory(
            name="Zulu Hidden", total_points=900, privacy=Team.Privacy.PRIVATE
        ),
        "Bravo": TeamFactory(name="Bravo", total_points=100),
        "Charlie": TeamFactory(name="Charlie", total_points=50),
        "Alpha Hidden": TeamFactory(
            name="Alpha Hidden", total_points=5, privacy=Team.Privacy.PRIVATE
        ),
    }


def _names(response):
    return [team.name for team in response.context["page"].object_list]


@pytest.mark.parametrize("params", [{}, {"sort": "points"}, {"page": "1"}])
def test_points_sort_private_last(client, teams, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert _names(response) == ["Bravo", "Charlie", "Alpha Hidden", "Zulu Hidden"]


def test_points_sort_signed_in_outsider(client, teams, user):
    client.force_login(user)
    response = client.get(URL, {"sort": "points"})
    assert _names(response) == ["Bravo", "Charlie", "Alpha Hidden", "Zulu Hidden"]


def test_points_sort_member_sees_own_team(client, teams, user):
    MembershipFactory(team=teams["Zulu Hidden"], profile=user.profile)
    client.force_login(user)
    response = client.get(URL, {"sort": "points"})
    assert _names(response) == ["Zulu Hidden", "Bravo", "Charlie", "Alpha Hidden"]


def test_points_sort_ended_member_is_outsider(client, teams, user):
    MembershipFactory(
        team=teams["Zulu Hidden"],
        profile=user.profile,
        status="ended",
        ended_at=timezone.now(),
    )
    client.force_login(user)
    response = client.get(URL, {"sort": "points"})
    assert _names(response) == ["Bravo", "Charlie", "Alpha Hidden", "Zulu Hidden"]


def test_points_sort_staff_sees_all(client, teams, staff_user):
    client.force_login(staff_user)
    response = client.get(URL, {"sort": "points"})
    assert _names(response) == ["Zulu Hidden", "Bravo", "Charlie", "Alpha Hidden"]


def test_name_sort_unchanged(client, teams):
    response = client.get(URL, {"sort": "name"})
    assert _names(response) == ["Alpha Hidden", "Bravo", "Charlie", "Zulu Hidden"]


def _card(content, name):
    """Return the HTML of the search result card of the named team."""
    cards = re.findall(r"<article class=\"team-card.*?</article>", content, re.S)
    matches = [card for card in cards if name in card]
    assert len(matches) == 1, cards
    return matches[0]


@pytest.fixture
def hidden_recruiter(db):
    return TeamFactory(
        name="Hidden Recruiter",
        tag="HRC",
        total_points=7777,
        privacy=Team.Privacy.PRIVATE,
        region=Region.objects.get(slug="europe"),
        is_recruiting=True,
        recruiting_message="Looking for an AWPer",
    )


def test_private_card_outsider(client, hidden_recruiter):
    card = _card(client.get(URL).content.decode(), "Hidden Recruiter")
    assert "HRC" in card
    assert "Private" in card
    assert "7,777" not in card
    assert "7777" not in card
    assert "Europe" not in card
    assert "Counter-Strike" not in card
    assert "Recruiting" not in card
    assert "AWPer" not in card
    assert "team-card-recruiting" not in card


def test_private_card_member(client, hidden_recruiter, user):
    MembershipFactory(team=hidden_recruiter, profile=user.profile)
    client.force_login(user)
    card = _card(client.get(URL).content.decode(), "Hidden Recruiter")
    assert "7,777" in card
    assert "Europe" in card
    assert "AWPer" in card


def test_private_card_staff(client, hidden_recruiter, staff_user):
    client.force_login(staff_user)
    card = _card(client.get(URL).content.decode(), "Hidden Recruiter")
    assert "7,777" in card
    assert "Europe" in card
