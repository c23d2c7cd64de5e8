import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import PASSWORD
from invites.models import Invite, InviteLink, JoinRequest
from invites.services import direct, links
from invites.views import SESSION_NEW_LINKS
from notifications.models import Notification
from roster.models import RosterEvent
from teams.models import Membership
from teams.permissions import MSG_DENIED
from teams.tests.factories import team_with_roster

from .factories import InviteFactory, JoinRequestFactory, link_with_token

pytestmark = pytest.mark.django_db


def _browser(user):
    """A separate client signed in with the password, like a second browser."""
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _manage_url(team, name="manage", **kwargs):
    return reverse(f"team_invites:{name}", kwargs={"slug": team.slug, **kwargs})


def _active(team, user):
    return Membership.objects.filter(
        team=team, profile__user=user, status=Membership.Status.ACTIVE
    )


def _kinds(user):
    return list(
        Notification.objects.filter(recipient=user)
        .order_by("created_at", "pk")
        .values_list("kind", flat=True)
    )


def test_two_browsers_full_flow(team, captain, outsider):
    captain_browser = _browser(captain)
    player_browser = _browser(outsider)
    team_page = reverse("teams:detail", kwargs={"slug": team.slug})

    # The captain invites; the player declines.
    response = captain_browser.post(
        _manage_url(team, "send"), {"target": outsider.username, "role": "player"}
    )
    assert response.status_code == 302
    inbox = player_browser.get(reverse("invites:inbox"))
    assert team.name in inbox.content.decode()
    invite = Invite.objects.get(profile=outsider.profile)
    assert invite.expires_at.strftime("%-d %b %Y") in inbox.content.decode()
    response = player_browser.post(reverse("invites:decline", args=[invite.pk]))
    assert response.status_code == 302
    assert "invite_declined" in _kinds(captain)

    # A second invite is accepted; the roster and its history show the player.
    captain_browser.post(
        _manage_url(team, "send"), {"target": outsider.username, "role": "substitute"}
    )
    invite = Invite.objects.get(profile=outsider.profile, status="pending")
    response = player_browser.post(reverse("invites:accept", args=[invite.pk]))
    assert response.status_code == 302
    assert response.url == team_page
    assert _active(team, outsider).get().role == "substitute"
    assert outsider.username in captain_browser.get(team_page).content.decode()
    assert "invite_accepted" in _kinds(captain)

    # Accepting again is harmless and lands on the team page.
    response = player_browser.post(
        reverse("invites:accept", args=[invite.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == team_page
    assert direct.MSG_ALREADY_JOINED.format(team=team.name) in response.content.decode()
    assert _active(team, outsider).count() == 1

    # The player leaves, then comes back through a shared link.
    player_browser.post(reverse("roster:leave", kwargs={"slug": team.slug}))
    assert not _active(team, outsider).exists()
    response = captain_browser.post(
        _manage_url(team, "link_create"),
        {"role": "coach", "expires_in_hours": 24, "max_uses": 1},
    )
    link = InviteLink.objects.get(team=team)
    assert response.url == _manage_url(team, "link_detail", link_id=link.pk)
    detail = captain_browser.get(response.url).content.decode()
    link_url = re.search(r'value="http://testserver(/invites/link/[^"]+)"', detail)
    assert link_url
    landing = player_browser.get(link_url.group(1))
    assert landing.status_code == 200
    assert not _active(team, outsider).exists()
    response = player_browser.post(link_url.group(1))
    assert response.url == team_page
    assert _active(team, outsider).get().role == "coach"
    uses_page = captain_browser.get(_manage_url(team, "link_detail", link_id=link.pk))
    assert outsider.username in uses_page.content.decode()

    # The player leaves again and requests to join. The captain rejects the
    # request, then approves a second one.
    player_browser.post(reverse("roster:leave", kwargs={"slug": team.slug}))
    request_url = _manage_url(team, "request")
    response = player_browser.post(
        request_url, {"role": "player", "message": "Back from holidays."}
    )
    assert response.status_code == 302
    join_request = JoinRequest.objects.get(status="pending")
    manage_page = captain_browser.get(_manage_url(team)).content.decode()
    assert "Back from holidays." in manage_page
    captain_browser.post(
        _manage_url(team, "request_reject", request_id=join_request.pk)
    )
    assert "join_request_rejected" in _kinds(outsider)
    player_browser.post(request_url, {"role": "player", "message": ""})
    join_request = JoinRequest.objects.get(status="pending")
    response = captain_browser.post(
        _manage_url(team, "request_approve", request_id=join_request.pk)
    )
    assert response.status_code == 302
    assert _active(team, outsider).get().role == "player"
    assert "join_request_approved" in _kinds(outsider)
    assert "join_request_received" in _kinds(captain)

    joins = RosterEvent.objects.filter(
        team=team, profile=outsider.profile, kind="joined"
    ).values_list("data__via", flat=True)
    assert sorted(joins) == ["invite", "link", "request"]
    notifications_page = player_browser.get(reverse("notifications:list"))
    assert "approved your request" in notifications_page.content.decode()


def test_forms_ignore_server_decided_fields(team, captain, outsider):
    other, _ = team_with_roster(roles=("captain",))
    invite = InviteFactory(team=team, profile=outsider.profile, role="coach")
    browser = _browser(outsider)
    browser.post(
        reverse("invites:accept", args=[invite.pk]),
        {"role": "captain", "team": other.pk, "profile": captain.profile.pk},
    )
    membership = _active(team, outsider).get()
    assert membership.role == "coach"
    assert not Membership.objects.filter(team=other, profile=outsider.profile).exists()


def test_send_form_ignores_team_field(team, captain, outsider):
    other, _ = team_with_roster(roles=("captain",))
    _browser(captain).post(
        _manage_url(team, "send"),
        {"target": outsider.username, "role": "player", "team": other.pk},
    )
    assert Invite.objects.get().team == team


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("manage", {}),
        ("link_detail", {"link_id": 1}),
    ],
)
def test_manager_pages_deny_players(team, member, name, kwargs):
    response = _browser(member).get(_manage_url(team, name, **kwargs))
    assert response.status_code == 403
    assert MSG_DENIED["manage_invites"] in response.content.decode()


def test_manager_pages_need_login(team):
    response = Client().get(_manage_url(team))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_send_refusal_shown_on_form(team, captain, member):
    response = _browser(captain).post(
        _manage_url(team, "send"), {"target": member.username, "role": "player"}
    )
    assert response.status_code == 409
    expected = direct.MSG_ALREADY_MEMBER.format(invitee=member.username, team=team.name)
    assert expected in response.content.decode()


def test_send_invalid_form_400(team, captain):
    response = _browser(captain).post(
        _manage_url(team, "send"), {"target": "", "role": "captain"}
    )
    assert response.status_code == 400
    assert not Invite.objects.exists()


def test_accept_refusals_over_http(team, outsider):
    browser = _browser(outsider)
    someone_elses = InviteFactory(team=team)
    cancelled = InviteFactory(team=team, profile=outsider.profile, status="cancelled")
    cases = [
        (someone_elses.pk, 403, direct.MSG_INVITE_NOT_YOURS),
        (cancelled.pk, 409, direct.MSG_INVITE_CANCELLED),
        (999_999, 404, direct.MSG_INVITE_NOT_FOUND),
    ]
    for invite_id, status, message in cases:
        response = browser.post(reverse("invites:accept", args=[invite_id]))
        assert response.status_code == status, invite_id
        assert message in response.content.decode()
    assert not Membership.objects.filter(profile=outsider.profile).exists()


def test_accept_needs_post(team, outsider):
    invite = InviteFactory(team=team, profile=outsider.profile)
    response = _browser(outsider).get(reverse("invites:accept", args=[invite.pk]))
    assert response.status_code == 405
    assert not _active(team, outsider).exists()


def test_cancel_returns_to_safe_next_only(team, captain):
    browser = _browser(captain)
    invite = InviteFactory(team=team)
    roster = reverse("roster:page", kwargs={"slug": team.slug})
    response = browser.post(
        _manage_url(team, "cancel", invite_id=invite.pk), {"next": roster}
    )
    assert response.url == roster
    invite = InviteFactory(team=team)
    response = browser.post(
        _manage_url(team, "cancel", invite_id=invite.pk),
        {"next": "https://evil.example/"},
    )
    assert response.url == _manage_url(team)


# Invite link landing


def test_link_get_never_joins(team, outsider):
    link, token = link_with_token(team=team)
    response = _browser(outsider).get(reverse("invites:link", args=[token]))
    assert response.status_code == 200
    assert "Join as player" in response.content.decode()
    assert not _active(team, outsider).exists()
    link.refresh_from_db()
    assert link.use_count == 0


def test_link_anonymous_asked_to_sign_in(team):
    _, token = link_with_token(team=team)
    url = reverse("invites:link", args=[token])
    assert "Sign in to join" in Client().get(url).content.decode()
    response = Client().post(url)
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_link_member_lands_on_team_page(team, member):
    _, token = link_with_token(team=team, status="expired")
    response = _browser(member).get(reverse("invites:link", args=[token]))
    assert response.status_code == 302
    assert response.url == reverse("teams:detail", kwargs={"slug": team.slug})


def test_link_unknown_token_404(outsider):
    response = _browser(outsider).get(reverse("invites:link", args=["nope"]))
    assert response.status_code == 404
    assert links.MSG_LINK_NOT_FOUND in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_dead_link_offers_join_request(team, outsider, method):
    _, token = link_with_token(
        team=team, expires_at=timezone.now() - timedelta(minutes=1)
    )
    browser = _browser(outsider)
    response = getattr(browser, method)(reverse("invites:link", args=[token]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "This invite link expired on" in page
    assert _manage_url(team, "request") in page
    assert not _active(team, outsider).exists()


def test_revoked_link_not_recruiting_points_to_team(team, outsider):
    team.is_recruiting = False
    team.save()
    _, token = link_with_token(team=team, status="revoked")
    response = _browser(outsider).post(reverse("invites:link", args=[token]))
    assert response.status_code == 409
    page = response.content.decode()
    assert links.MSG_LINK_REVOKED in page
    assert _manage_url(team, "request") not in page
    assert reverse("teams:detail", kwargs={"slug": team.slug}) in page


def test_link_token_shown_once(team, captain):
    browser = _browser(captain)
    response = browser.post(
        _manage_url(team, "link_create"),
        {"role": "player", "expires_in_hours": 24, "max_uses": 3},
    )
    first = browser.get(response.url).content.decode()
    second = browser.get(response.url).content.decode()
    assert "/invites/link/" in first
    assert "/invites/link/" not in second
    assert SESSION_NEW_LINKS in browser.session


def test_link_detail_other_team_404(team, captain):
    other, _ = team_with_roster(roles=("captain",))
    link, _ = link_with_token(team=other)
    response = _browser(captain).get(_manage_url(team, "link_detail", link_id=link.pk))
    assert response.status_code == 404
    assert links.MSG_LINK_NOT_IN_TEAM in response.content.decode()


# Join request form


def test_join_request_form_escapes_message(team, captain, outsider):
    _browser(outsider).post(
        _manage_url(team, "request"),
        {"role": "player", "message": "I <3 clutch & <i>entry</i>"},
    )
    page = _browser(captain).get(_manage_url(team)).content.decode()
    assert "I &lt;3 clutch &amp; entry" in page
    assert "<i>entry" not in page


def test_join_request_page_private_team(team, outsider):
    team.privacy = "private"
    team.recruiting_message = "Secret tryouts on Friday"
    team.save()
    browser = _browser(outsider)
    page = browser.get(_manage_url(team, "request")).content.decode()
    assert "by invite only" in page
    assert "Secret tryouts" not in page
    response = browser.post(_manage_url(team, "request"), {"role": "player"})
    assert response.status_code == 403
    assert not JoinRequest.objects.exists()


def test_join_request_withdraw(team, outsider):
    browser = _browser(outsider)
    browser.post(_manage_url(team, "request"), {"role": "coach"})
    page = browser.get(_manage_url(team, "request")).content.decode()
    assert "Withdraw request" in page
    browser.post(_manage_url(team, "request_withdraw"))
    assert JoinRequest.objects.get().status == JoinRequest.Status.WITHDRAWN


def test_join_request_not_recruiting_409(team, outsider):
    team.is_recruiting = False
    team.save()
    response = _browser(outsider).post(_manage_url(team, "request"), {"role": "player"})
    assert response.status_code == 409
    assert "is not recruiting" in response.content.decode()


# Query budgets


def test_manage_page_query_budget(team, captain, client, django_assert_max_num_queries):
    for _ in range(5):
        InviteFactory(team=team)
        JoinRequestFactory(team=team)
        link_with_token(team=team)
    client.force_login(captain)
    # 1 session, 2 user, 3 team, 4 captain's membership (permission check),
    # 5 unread notification count (header), 6 pending invites with profiles
    # and inviters, 7 join requests with profiles, 8 links with creators.
    with django_assert_max_num_queries(8):
        response = client.get(_manage_url(team))
    assert response.status_code == 200


def test_inbox_query_budget(team, outsider, client, django_assert_max_num_queries):
    for _ in range(5):
        other, _ = team_with_roster(roles=("captain",))
        InviteFactory(team=other, profile=outsider.profile)
        JoinRequestFactory(team=other, profile=outsider.profile)
    client.force_login(outsider)
    # 1 session, 2 user, 3 unread notification count (header), 4 pending
    # invites with teams, games and inviters, 5 join requests with teams,
    # 6 earlier invites with teams.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("invites:inbox"))
    assert response.status_code == 200
