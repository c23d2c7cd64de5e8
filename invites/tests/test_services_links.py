from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import Conflict, DomainError, NotFound, PermissionDenied
from invites import services
from invites.models import InviteLink, InviteLinkUse
from invites.services import links
from roster import services as roster_services
from roster.models import RosterEvent, RosterLock
from teams.models import Membership
from teams.tests.factories import MembershipFactory, team_with_roster

from .factories import fill_roster, link_with_token

pytestmark = pytest.mark.django_db


def _memberships(team, user):
    return Membership.objects.filter(team=team, profile__user=user)


def test_create_stores_only_hash(team, captain):
    link, token = services.invite_link_create(
        team, actor=captain, role="substitute", expires_in_hours=24, max_uses=3
    )
    assert len(token) == 32
    assert link.token_hash == links.hash_token(token)
    assert not InviteLink.objects.filter(token_hash=token).exists()
    assert link.expires_at - link.created_at == timedelta(hours=24)
    assert link.max_uses == 3
    assert link.role == "substitute"


def test_create_tokens_differ(team, captain):
    _, first = services.invite_link_create(
        team, actor=captain, role="player", expires_in_hours=24, max_uses=1
    )
    _, second = services.invite_link_create(
        team, actor=captain, role="player", expires_in_hours=24, max_uses=1
    )
    assert first != second


def test_create_by_player_denied(team, member):
    with pytest.raises(PermissionDenied):
        services.invite_link_create(
            team, actor=member, role="player", expires_in_hours=24, max_uses=1
        )
    assert not InviteLink.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"max_uses": 0}, links.MSG_MAX_USES_INVALID),
        ({"max_uses": links.MAX_USES_LIMIT + 1}, links.MSG_MAX_USES_INVALID),
        ({"expires_in_hours": 5}, links.MSG_EXPIRY_INVALID),
    ],
)
def test_create_bad_fields(team, captain, fields, message):
    values = {"role": "player", "expires_in_hours": 24, "max_uses": 1, **fields}
    with pytest.raises(DomainError) as error:
        services.invite_link_create(team, actor=captain, **values)
    assert error.value.message == message


def test_join_adds_member_in_link_role(team, outsider):
    link, token = link_with_token(team=team, role="coach", max_uses=2)
    membership, joined = services.invite_link_join(token, user=outsider)
    assert joined is True
    assert membership.role == "coach"
    link.refresh_from_db()
    assert link.use_count == 1
    assert link.status == InviteLink.Status.ACTIVE
    use = InviteLinkUse.objects.get(link=link)
    assert use.profile == outsider.profile
    assert use.membership == membership
    event = RosterEvent.objects.get(team=team, profile=outsider.profile)
    assert event.data == {"via": "link"}


def test_join_last_use_marks_used_up(team, outsider):
    link, token = link_with_token(team=team, max_uses=1)
    services.invite_link_join(token, user=outsider)
    link.refresh_from_db()
    assert link.status == InviteLink.Status.USED_UP


def test_join_by_member_is_harmless(team, member):
    link, token = link_with_token(team=team, status="revoked")
    membership, joined = services.invite_link_join(token, user=member)
    assert joined is False
    assert membership.profile.user == member
    link.refresh_from_db()
    assert link.use_count == 0


# Every refusal has its own message and creates no membership.


def test_refusal_unknown_token(outsider):
    with pytest.raises(NotFound) as error:
        services.invite_link_join("no-such-token", user=outsider)
    assert error.value.message == links.MSG_LINK_NOT_FOUND


def test_refusal_empty_or_huge_token(outsider):
    for token in ("", "x" * 500):
        with pytest.raises(NotFound) as error:
            services.invite_link_join(token, user=outsider)
        assert error.value.message == links.MSG_LINK_NOT_FOUND


def test_refusal_other_teams_link(team, captain):
    other, _ = team_with_roster(roles=("captain",))
    link, _token = link_with_token(team=other)
    with pytest.raises(NotFound) as error:
        services.invite_link_revoke(team, link.pk, actor=captain)
    assert error.value.message == links.MSG_LINK_NOT_IN_TEAM
    with pytest.raises(NotFound):
        services.invite_link_for_team(team, link.pk)
    link.refresh_from_db()
    assert link.status == InviteLink.Status.ACTIVE


def test_refusal_expired_link(team, outsider):
    _, token = link_with_token(
        team=team,
        created_at=timezone.now() - timedelta(days=2),
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    with pytest.raises(Conflict) as error:
        services.invite_link_join(token, user=outsider)
    assert error.value.code == "link_expired"
    assert error.value.message.startswith("This invite link expired on ")
    assert not _memberships(team, outsider).exists()


def test_refusal_revoked_link(team, captain, outsider):
    link, token = link_with_token(team=team)
    services.invite_link_revoke(team, link.pk, actor=captain)
    with pytest.raises(Conflict) as error:
        services.invite_link_join(token, user=outsider)
    assert error.value.message == links.MSG_LINK_REVOKED
    assert not _memberships(team, outsider).exists()


def test_refusal_used_up_link(team, outsider):
    _, token = link_with_token(team=team, max_uses=2, use_count=2)
    with pytest.raises(Conflict) as error:
        services.invite_link_join(token, user=outsider)
    assert error.value.message == links.MSG_LINK_USED_UP.format(max_uses=2)
    assert not _memberships(team, outsider).exists()


def test_refusal_locked_roster(team, outsider):
    RosterLock.objects.create(team=team)
    link, token = link_with_token(team=team)
    with pytest.raises(Conflict) as error:
        services.invite_link_join(token, user=outsider)
    assert error.value.message == roster_services.MSG_ROSTER_LOCKED.format(reason="")
    assert not _memberships(team, outsider).exists()
    link.refresh_from_db()
    assert link.use_count == 0


def test_refusal_full_roster(team, outsider):
    fill_roster(team)
    link, token = link_with_token(team=team)
    with pytest.raises(Conflict) as error:
        services.invite_link_join(token, user=outsider)
    assert error.value.code == "roster_full"
    assert not _memberships(team, outsider).exists()
    link.refresh_from_db()
    assert link.use_count == 0
    assert not InviteLinkUse.objects.exists()


def test_refusal_in_team_of_same_game(team, outsider):
    other, _ = team_with_roster(roles=("captain",))
    MembershipFactory(team=other, profile=outsider.profile)
    _, token = link_with_token(team=team)
    with pytest.raises(Conflict) as error:
        services.invite_link_join(token, user=outsider)
    assert error.value.code == "already_in_game"
    assert other.name in error.value.message
    assert not _memberships(team, outsider).exists()


def test_revoke_twice_rejected(team, captain):
    link, _ = link_with_token(team=team)
    services.invite_link_revoke(team, link.pk, actor=captain)
    with pytest.raises(Conflict) as error:
        services.invite_link_revoke(team, link.pk, actor=captain)
    assert error.value.message == links.MSG_REVOKE_NOT_ACTIVE.format(status="Revoked")


def test_revoke_by_player_denied(team, member):
    link, _ = link_with_token(team=team)
    with pytest.raises(PermissionDenied):
        services.invite_link_revoke(team, link.pk, actor=member)
