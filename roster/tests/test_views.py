"""The roster page: three members in their own sessions, and bad input."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from roster import services
from roster.views import MSG_BAD_MEMBER
from teams.models import Membership, TeamSlug
from teams.tests.factories import MembershipFactory, TeamFactory


def _url(name, team):
    return reverse(f"roster:{name}", kwargs={"slug": team.slug})


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _unread(client):
    response = client.get(reverse("notifications:list"))
    return response.context["notification_unread_count"]


def _notes(client):
    response = client.get(reverse("notifications:list"))
    return [note.text for note in response.context["notifications"]]


def test_three_members_manage_roster(db):
    team = TeamFactory(name="Night Owls")
    alice = UserFactory(username="alice")
    bob = UserFactory(username="bob")
    carol = UserFactory(username="carol")
    alice_m = MembershipFactory(team=team, profile=alice.profile, role="captain")
    bob_m = MembershipFactory(team=team, profile=bob.profile, role="player")
    carol_m = MembershipFactory(team=team, profile=carol.profile, role="player")
    a, b, c = _client(alice), _client(bob), _client(carol)

    # Members see the roster; only the captain gets the management forms.
    page = b.get(_url("page", team)).content.decode()
    assert "Leave team" in page
    assert "Change role" not in page
    assert "Change role" in a.get(_url("page", team)).content.decode()

    # 1. Alice makes Bob co-captain. Bob gets a notification and the forms.
    response = a.post(
        _url("role", team), {"membership": bob_m.pk, "role": "co_captain"}
    )
    assert response.status_code == 302
    assert _unread(b) == 1
    assert _notes(b) == [
        "alice changed your role in Night Owls from player to co-captain."
    ]
    assert "Change role" in b.get(_url("page", team)).content.decode()

    # 2. Bob makes Carol a substitute.
    b.post(_url("role", team), {"membership": carol_m.pk, "role": "substitute"})
    assert _notes(c) == [
        "bob changed your role in Night Owls from player to substitute."
    ]

    # 3. Alice hands the captaincy to Bob and becomes co-captain.
    response = a.post(_url("transfer", team), {"membership": bob_m.pk})
    assert response.status_code == 302
    roles = dict(Membership.objects.filter(team=team).values_list("profile", "role"))
    assert roles == {
        alice.profile.pk: "co_captain",
        bob.profile.pk: "captain",
        carol.profile.pk: "substitute",
    }
    assert _unread(b) == 2
    assert _unread(c) == 2
    assert _unread(a) == 0
    assert _notes(c)[0] == "alice handed the captaincy of Night Owls to bob."

    # 4. Bob removes Alice; her roster page now returns 403.
    b.post(_url("remove", team), {"membership": alice_m.pk})
    assert _notes(a) == ["bob removed you from Night Owls."]
    assert a.get(_url("page", team)).status_code == 403

    # 5. Carol reads her notifications, then leaves.
    c.post(reverse("notifications:read_all"))
    assert _unread(c) == 0
    response = c.post(_url("leave", team))
    assert response.status_code == 302
    assert c.get(_url("page", team)).status_code == 403

    # Bob's page shows the history: both former members and the timeline.
    page = b.get(_url("page", team))
    alumni = [alumnus.name for alumnus in page.context["alumni"]]
    assert alumni == ["carol", "alice"]
    summaries = [event.summary for event in page.context["timeline"]]
    assert summaries == [
        "carol left the team.",
        "alice was removed by bob.",
        "Captaincy passed from alice to bob.",
        "carol changed from player to substitute.",
        "bob changed from player to co-captain.",
    ]
    html = page.content.decode()
    assert "Captaincy passed from alice to bob." in html
    assert "Former members" in html

    # 6. Bob, the last member, leaves: the team is disbanded.
    response = b.post(_url("leave", team))
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.disbanded_at is not None


def test_page_query_budget(client, roster):
    client.force_login(roster.user("captain"))
    counts = []
    for extra in (0, 3):
        for _ in range(extra):
            MembershipFactory(team=roster.team, role="substitute")
            services.roster_leave(
                roster.team,
                actor=MembershipFactory(team=roster.team, role="player").profile.user,
            )
        # 1 session, 2 user, 3 team with game, 4 members with profiles,
        # 5 roster lock, 6 timeline events, 7 alumni, 8 unread count.
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_url("page", roster.team))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts == [9, 9]


@pytest.mark.parametrize("action", ["role", "remove", "transfer"])
@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "-1",
        "9" * 40,
        "²",  # superscript two: str.isdigit() accepts it, int() does not
        "1²",
        "١",  # Arabic-Indic one: int() reads it as 1
    ],
)
def test_bad_membership_id_400(client, roster, action, value):
    client.force_login(roster.user("captain"))
    response = client.post(
        _url(action, roster.team), {"membership": value, "role": "substitute"}
    )
    assert response.status_code == 400
    assert MSG_BAD_MEMBER in response.content.decode()


def test_unknown_membership_404(client, roster):
    client.force_login(roster.user("captain"))
    response = client.post(_url("remove", roster.team), {"membership": 999999})
    assert response.status_code == 404


def test_bad_role_400(client, roster):
    client.force_login(roster.user("captain"))
    response = client.post(
        _url("role", roster.team), {"membership": roster.target.pk, "role": "boss"}
    )
    assert response.status_code == 400
    assert Membership.objects.get(pk=roster.target.pk).role == "player"


def test_capacity_message_shown(client, roster):
    for _ in range(2):
        MembershipFactory(team=roster.team, role="player")  # 7 of 7
    client.force_login(roster.user("captain"))
    response = client.post(
        _url("role", roster.team), {"membership": roster.coach.pk, "role": "player"}
    )
    assert response.status_code == 409
    assert "The roster is full (7 of 7 players and substitutes)." in (
        response.content.decode()
    )


def test_actions_reject_get(client, roster):
    client.force_login(roster.user("captain"))
    for name in ("role", "remove", "transfer", "leave"):
        assert client.get(_url(name, roster.team)).status_code == 405, name


def test_old_slug_redirects(client, roster):
    TeamSlug.objects.create(slug="old-name", team=roster.team)
    client.force_login(roster.user("player"))
    response = client.get(reverse("roster:page", kwargs={"slug": "old-name"}))
    assert response.status_code == 302
    assert response["Location"] == _url("page", roster.team)


@pytest.mark.parametrize("slug", ["no-such-team"])
def test_unknown_team_404(client, user, slug):
    client.force_login(user)
    assert client.get(reverse("roster:page", kwargs={"slug": slug})).status_code == 404


def test_disbanded_team_404(client, roster):
    from teams.services import team_disband

    team_disband(roster.team, actor=roster.user("captain"))
    client.force_login(roster.user("captain"))
    assert client.get(_url("page", roster.team)).status_code == 404


def test_co_captain_sees_limited_menu(client, roster):
    client.force_login(roster.user("co_captain"))
    rows = client.get(_url("page", roster.team)).context["rows"]
    by_role = {row["membership"].role: row for row in rows if not row["is_me"]}
    assert by_role["captain"]["role_choices"] == []
    assert not by_role["captain"]["can_remove"]
    assert [value for value, _ in by_role["coach"]["role_choices"]] == [
        "player", "substitute", "coach",
    ]  # fmt: skip
    assert all(not row["can_transfer"] for row in rows)
