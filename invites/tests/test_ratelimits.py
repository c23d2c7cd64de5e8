"""Rate limits with a frozen clock, on the local-memory cache and on Redis."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory
from core.errors import Conflict, RateLimited
from games.models import Game
from invites import ratelimits, services
from invites.models import Invite, InviteLink, JoinRequest
from teams.tests.factories import MembershipFactory, TeamFactory, team_with_roster

pytestmark = pytest.mark.django_db

START = "2030-05-01 10:17:00Z"


@pytest.fixture(params=["locmem", "redis"])
def rate_cache(request, settings):
    """Run each test on the local-memory cache, and on Redis when configured."""
    if request.param == "redis":
        request.getfixturevalue("redis_only")
        return request.param
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "invites-rate-limits",
        }
    }
    from django.core.cache import cache

    cache.clear()
    return request.param


def _browser(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_invite_limit_counts_per_team(rate_cache, team, captain, co_captain):
    send_url = reverse("team_invites:send", kwargs={"slug": team.slug})
    players = [UserFactory() for _ in range(12)]
    with time_machine.travel(START, tick=False) as clock:
        browsers = [_browser(captain), _browser(co_captain)]
        for number, player in enumerate(players[:10]):
            response = browsers[number % 2].post(
                send_url, {"target": player.username, "role": "player"}
            )
            assert response.status_code == 302, number

        # The 11th, from another sender with forged client headers.
        response = browsers[1].post(
            send_url,
            {"target": players[10].username, "role": "player"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
            HTTP_X_REAL_IP="203.0.113.9",
            REMOTE_ADDR="198.51.100.7",
        )
        assert response.status_code == 429
        retry_after = int(response["Retry-After"])
        assert 0 < retry_after <= 3600
        assert "maximum of 10 invites" in response.content.decode()
        assert Invite.objects.count() == 10

        clock.shift(timedelta(seconds=retry_after - 1))
        response = browsers[0].post(
            send_url, {"target": players[10].username, "role": "player"}
        )
        assert response.status_code == 429
        assert int(response["Retry-After"]) == 1

        clock.shift(timedelta(seconds=1))
        response = browsers[0].post(
            send_url, {"target": players[10].username, "role": "player"}
        )
        assert response.status_code == 302
    assert Invite.objects.count() == 11


def test_invite_limit_other_team_unaffected(rate_cache, team, captain):
    other, members = team_with_roster(roles=("captain",))
    other_captain = members[0].profile.user
    with time_machine.travel(START, tick=False):
        for _ in range(10):
            services.invite_send(
                team, actor=captain, target=UserFactory().username, role="player"
            )
        with pytest.raises(RateLimited):
            services.invite_send(
                team, actor=captain, target=UserFactory().username, role="player"
            )
        invite = services.invite_send(
            other, actor=other_captain, target=UserFactory().username, role="player"
        )
    assert invite.team == other


def test_invite_limit_skips_invalid_attempts(rate_cache, team, captain, member):
    with time_machine.travel(START, tick=False):
        for _ in range(15):
            with pytest.raises(Conflict) as error:
                services.invite_send(
                    team, actor=captain, target=member.username, role="player"
                )
            assert error.value.code == "already_member"
        invite = services.invite_send(
            team, actor=captain, target=UserFactory().username, role="player"
        )
    assert invite.pk


def test_invite_limit_follows_setting(rate_cache, team, captain, settings):
    settings.INVITE_RATE_PER_TEAM = "2/h"
    with time_machine.travel(START, tick=False):
        for _ in range(2):
            services.invite_send(
                team, actor=captain, target=UserFactory().username, role="player"
            )
        with pytest.raises(RateLimited) as error:
            services.invite_send(
                team, actor=captain, target=UserFactory().username, role="player"
            )
    assert error.value.message.startswith("This team has sent its maximum of 2 invites")


def test_join_request_limit_per_user(rate_cache, outsider):
    teams = [
        team_with_roster(roles=("captain",), is_recruiting=True)[0] for _ in range(6)
    ]
    with time_machine.travel(START, tick=False) as clock:
        browser = _browser(outsider)
        for team in teams[:5]:
            url = reverse("team_invites:request", kwargs={"slug": team.slug})
            assert browser.post(url, {"role": "player"}).status_code == 302
        url = reverse("team_invites:request", kwargs={"slug": teams[5].slug})
        response = browser.post(
            url, {"role": "player"}, HTTP_X_FORWARDED_FOR="203.0.113.10"
        )
        assert response.status_code == 429
        retry_after = int(response["Retry-After"])
        assert "maximum of 5 join requests" in response.content.decode()
        assert JoinRequest.objects.count() == 5
        clock.shift(timedelta(seconds=retry_after))
        assert browser.post(url, {"role": "player"}).status_code == 302


def test_link_limit_per_team(rate_cache, team, captain, co_captain):
    url = reverse("team_invites:link_create", kwargs={"slug": team.slug})
    form = {"role": "player", "expires_in_hours": 24, "max_uses": 1}
    with time_machine.travel(START, tick=False) as clock:
        for number in range(20):
            actor = captain if number % 2 else co_captain
            services.invite_link_create(
                team, actor=actor, role="player", expires_in_hours=24, max_uses=1
            )
        response = _browser(captain).post(url, form)
        assert response.status_code == 429
        retry_after = int(response["Retry-After"])
        assert 0 < retry_after <= 24 * 3600
        assert "maximum of 20 invite links" in response.content.decode()
        assert InviteLink.objects.count() == 20
        clock.shift(timedelta(seconds=retry_after))
        assert _browser(captain).post(url, form).status_code == 302


def test_cache_down_fails_open(team, captain, settings, caplog):
    # Port 1 on the loopback interface: nothing listens, so connecting fails.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    failures = ratelimits.cache_failures["count"]
    invite = services.invite_send(
        team, actor=captain, target=UserFactory().username, role="player"
    )
    assert invite.pk
    assert ratelimits.cache_failures["count"] == failures + 1
    assert "rate limit cache unavailable" in caplog.text


def _captain_of_new_team(user, game_slug):
    """Make the user captain of a new team in the game; return the team."""
    team = TeamFactory(game=Game.objects.get(slug=game_slug))
    MembershipFactory(team=team, profile=user.profile, role="captain")
    return team


def test_email_limit_per_inviter_across_teams(rate_cache, settings, captain):
    if hasattr(settings, "INVITE_EMAIL_RATE_PER_USER"):
        del settings.INVITE_EMAIL_RATE_PER_USER  # the default, 30 a day
    teams = [
        _captain_of_new_team(captain, slug) for slug in ("valorant", "dota2", "lol")
    ]
    newest = _captain_of_new_team(captain, "mlbb")
    send_url = reverse("team_invites:send", kwargs={"slug": newest.slug})
    with time_machine.travel(START, tick=False) as clock:
        # Each team stays within its own limit of 10 an hour.
        for team in teams:
            for number in range(10):
                services.invite_send(
                    team,
                    actor=captain,
                    target=f"player{team.pk}x{number}@example.com",
                    role="player",
                )
        browser = _browser(captain)

        response = browser.post(
            send_url, {"target": "one.more@example.com", "role": "player"}
        )
        assert response.status_code == 429
        retry_after = int(response["Retry-After"])
        assert 0 < retry_after <= 24 * 3600
        assert "maximum of 30 email invites" in response.content.decode()
        assert Invite.objects.filter(team=newest).count() == 0

        # Invites by handle send no email and stay allowed.
        player = UserFactory()
        response = browser.post(send_url, {"target": player.username, "role": "player"})
        assert response.status_code == 302

        clock.shift(timedelta(seconds=retry_after))
        response = browser.post(
            send_url, {"target": "one.more@example.com", "role": "player"}
        )
        assert response.status_code == 302
    assert Invite.objects.filter(team=newest).count() == 2


def test_email_limit_follows_setting(rate_cache, settings, team, captain, co_captain):
    settings.INVITE_EMAIL_RATE_PER_USER = "2/h"
    with time_machine.travel(START, tick=False):
        for number in range(2):
            services.invite_send(
                team, actor=captain, target=f"p{number}@example.com", role="player"
            )
        with pytest.raises(RateLimited) as error:
            services.invite_send(
                team, actor=captain, target="p2@example.com", role="player"
            )
        # The limit is per inviter: the co-captain still has all of theirs.
        invite = services.invite_send(
            team, actor=co_captain, target="p2@example.com", role="player"
        )
    assert error.value.message.startswith(
        "You have sent the maximum of 2 email invites for this period."
    )
    assert 0 < error.value.retry_after <= 3600
    assert invite.email == "p2@example.com"


def test_email_limit_skips_account_addresses(rate_cache, settings, team, captain):
    settings.INVITE_EMAIL_RATE_PER_USER = "1/h"
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            player = UserFactory()
            invite = services.invite_send(
                team, actor=captain, target=player.email, role="player"
            )
            assert invite.profile == player.profile
        services.invite_send(
            team, actor=captain, target="nobody@example.com", role="player"
        )
        with pytest.raises(RateLimited):
            services.invite_send(
                team, actor=captain, target="nobody2@example.com", role="player"
            )
