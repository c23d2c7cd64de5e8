"""Query budgets: the hub and the team page run a fixed number of queries.

Budgets: at most 8 queries for an anonymous visitor and 10 signed in, and the
same count whatever the roster or team list size.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import GameAccountFactory
from games.models import Game
from teams.tests.factories import TeamFactory, team_with_roster

ANONYMOUS_BUDGET = 8
SIGNED_IN_BUDGET = 10
SMALL_ROSTER = ("captain", "player")
LARGE_ROSTER = (
    "captain", "co_captain", "player", "player", "substitute", "substitute", "coach",
)  # fmt: skip
GAMES = ("cs2", "valorant", "lol", "dota2", "rocketleague")


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _team_with_accounts(roles, name):
    team, members = team_with_roster(roles=roles, name=name)
    for member in members:
        GameAccountFactory(profile=member.profile)
    return team, members


@pytest.mark.django_db
def test_team_page_anonymous_budget(client, django_assert_max_num_queries):
    small, _ = _team_with_accounts(SMALL_ROSTER, "Small Team")
    large, _ = _team_with_accounts(LARGE_ROSTER, "Large Team")
    # 1. the team with game, region, ranking and import row; 2. the roster
    # with profiles, accounts and game accounts; 3. the roster events;
    # 4. the former members; 5. the points history; 6. the ledger entries.
    with django_assert_max_num_queries(ANONYMOUS_BUDGET):
        small_count = _count_queries(client, f"/teams/{small.slug}/")
    with django_assert_max_num_queries(ANONYMOUS_BUDGET):
        large_count = _count_queries(client, f"/teams/{large.slug}/")
    assert small_count == large_count == 6


@pytest.mark.django_db
def test_team_page_signed_in_budget(client, django_assert_max_num_queries):
    small, small_members = _team_with_accounts(SMALL_ROSTER, "Small Team")
    large, large_members = _team_with_accounts(LARGE_ROSTER, "Large Team")
    # The captain of each team looks at it: 1. the session; 2. the user;
    # 3. the team; 4. the roster (which also tells the viewer's role);
    # 5. the roster events; 6. the former members; 7. the points history;
    # 8. the ledger entries; 9. the unread notification count in the header.
    client.force_login(small_members[0].profile.user)
    with django_assert_max_num_queries(SIGNED_IN_BUDGET):
        small_count = _count_queries(client, f"/teams/{small.slug}/")
    client.force_login(large_members[0].profile.user)
    with django_assert_max_num_queries(SIGNED_IN_BUDGET):
        large_count = _count_queries(client, f"/teams/{large.slug}/")
    assert small_count == large_count == 9


@pytest.mark.django_db
def test_team_page_stranger_budget(client, outsider, django_assert_max_num_queries):
    # The same queries as for a member: the roster query shows that the
    # viewer is not on it.
    team, _ = _team_with_accounts(LARGE_ROSTER, "Large Team")
    client.force_login(outsider)
    with django_assert_max_num_queries(SIGNED_IN_BUDGET):
        _count_queries(client, f"/teams/{team.slug}/")


def _make_teams(count):
    games = [Game.objects.get(slug=slug) for slug in GAMES]
    for index in range(count):
        TeamFactory(
            game=games[index % len(games)],
            total_points=index * 7 % 500,
            is_recruiting=index % 3 == 0,
        )


@pytest.mark.django_db
def test_hub_budget_anonymous(client, django_assert_max_num_queries):
    # 1. top teams per game (one window query); 2. recruiting teams;
    # 3. newest teams; 4. team and game counts.
    _make_teams(10)
    with django_assert_max_num_queries(ANONYMOUS_BUDGET):
        small_count = _count_queries(client, reverse("teams:hub"))
    _make_teams(190)
    with django_assert_max_num_queries(ANONYMOUS_BUDGET):
        large_count = _count_queries(client, reverse("teams:hub"))
    assert small_count == large_count


@pytest.mark.django_db
def test_hub_budget_signed_in(client, user, django_assert_max_num_queries):
    # The anonymous queries plus 1. the session, 2. the user and 3. the
    # unread notification count in the header.
    client.force_login(user)
    _make_teams(10)
    with django_assert_max_num_queries(SIGNED_IN_BUDGET):
        small_count = _count_queries(client, reverse("teams:hub"))
    _make_teams(190)
    with django_assert_max_num_queries(SIGNED_IN_BUDGET):
        large_count = _count_queries(client, reverse("teams:hub"))
    assert small_count == large_count


@pytest.mark.django_db
def test_search_budget(client, django_assert_max_num_queries):
    # 1. the count for the paginator; 2. the page of teams; 3. and 4. the
    # game and region choices of the filter form.
    _make_teams(10)
    with django_assert_max_num_queries(ANONYMOUS_BUDGET):
        small_count = _count_queries(client, reverse("teams:search"))
    _make_teams(190)
    with django_assert_max_num_queries(ANONYMOUS_BUDGET):
        large_count = _count_queries(client, reverse("teams:search"))
    assert small_count == large_count
