from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.tests.factories import UnclaimedProfileFactory, UserFactory
from core.errors import Conflict, DomainError, NotFound, PermissionDenied
from invites import kinds, services
from invites.models import Invite, JoinRequest
from invites.services import direct
from invites.services.common import MSG_ROLE_INVALID
from notifications.models import Notification
from roster import services as roster_services
from roster.models import RosterEvent, RosterLock
from teams.models import Membership
from teams.permissions import MSG_DENIED
from teams.tests.factories import MembershipFactory, team_with_roster

from .factories import InviteFactory, JoinRequestFactory, fill_roster

pytestmark = pytest.mark.django_db


def _memberships(team, user):
    return Membership.objects.filter(team=team, profile__user=user)


# Sending


def test_send_by_handle_creates_pending_invite(team, captain, outsider):
    invite = services.invite_send(
        team, actor=captain, target=outsider.username.upper(), role="substitute"
    )
    assert invite.status == Invite.Status.PENDING
    assert invite.profile == outsider.profile
    assert invite.role == "substitute"
    assert invite.invited_by == captain
    assert invite.expires_at - invite.created_at == timedelta(days=7)


def test_send_notifies_invitee(team, captain, outsider):
    services.invite_send(team, actor=captain, target=outsider.username, role="coach")
    notification = Notification.objects.get(recipient=outsider)
    assert notification.kind == kinds.INVITE_RECEIVED
    assert notification.text == (
        f"{captain.username} invited you to join {team.name} as coach."
    )


def test_send_expiry_follows_setting(team, captain, outsider, settings):
    settings.INVITE_EXPIRY_DAYS = 2
    invite = services.invite_send(
        team, actor=captain, target=outsider.username, role="player"
    )
    assert invite.expires_at - invite.created_at == timedelta(days=2)


def test_send_by_co_captain_allowed(team, co_captain, outsider):
    invite = services.invite_send(
        team, actor=co_captain, target=outsider.username, role="player"
    )
    assert invite.invited_by == co_captain


def test_send_by_player_denied(team, member, outsider):
    with pytest.raises(PermissionDenied) as error:
        services.invite_send(
            team, actor=member, target=outsider.username, role="player"
        )
    assert error.value.message == MSG_DENIED["manage_invites"]
    assert not Invite.objects.exists()


def test_send_to_member_rejected(team, captain, member):
    with pytest.raises(Conflict) as error:
        services.invite_send(team, actor=captain, target=member.username, role="coach")
    assert error.value.message == direct.MSG_ALREADY_MEMBER.format(
        invitee=member.username, team=team.name
    )
    assert not Invite.objects.exists()


def test_send_duplicate_rejected(team, captain, co_captain, outsider):
    services.invite_send(team, actor=captain, target=outsider.username, role="player")
    with pytest.raises(Conflict) as error:
        services.invite_send(
            team, actor=co_captain, target=outsider.username, role="coach"
        )
    assert error.value.message == direct.MSG_DUPLICATE.format(
        invitee=outsider.username, team=team.name
    )
    assert Invite.objects.count() == 1


def test_send_replaces_lapsed_pending_invite(team, captain, outsider):
    old = InviteFactory(
        team=team,
        profile=outsider.profile,
        created_at=timezone.now() - timedelta(days=8),
        expires_at=timezone.now() - timedelta(days=1),
    )
    new = services.invite_send(
        team, actor=captain, target=outsider.username, role="player"
    )
    old.refresh_from_db()
    assert old.status == Invite.Status.EXPIRED
    assert new.status == Invite.Status.PENDING


def test_send_unknown_handle_not_found(team, captain):
    with pytest.raises(NotFound) as error:
        services.invite_send(team, actor=captain, target="nobody-here", role="player")
    assert error.value.message == direct.MSG_PLAYER_NOT_FOUND.format(
        handle="nobody-here"
    )


def test_send_unclaimed_handle_not_found(team, captain):
    profile = UnclaimedProfileFactory()
    with pytest.raises(NotFound):
        services.invite_send(team, actor=captain, target=profile.handle, role="player")


@pytest.mark.parametrize("role", ["captain", "co_captain", "owner", ""])
def test_send_role_not_offered(team, captain, outsider, role):
    with pytest.raises(DomainError) as error:
        services.invite_send(team, actor=captain, target=outsider.username, role=role)
    assert error.value.message == MSG_ROLE_INVALID
    assert not Invite.objects.exists()


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("", direct.MSG_TARGET_EMPTY),
        ("not@an@address", direct.MSG_EMAIL_INVALID.format(email="not@an@address")),
    ],
)
def test_send_bad_target(team, captain, target, message):
    with pytest.raises(DomainError) as error:
        services.invite_send(team, actor=captain, target=target, role="player")
    assert error.value.message == message


def test_send_by_verified_email_targets_account(team, captain, outsider):
    invite = services.invite_send(
        team, actor=captain, target=outsider.email.upper(), role="player"
    )
    assert invite.profile == outsider.profile
    assert invite.email == outsider.email.lower()


def test_send_to_unverified_address_stays_email_invite(team, captain):
    unverified = UserFactory(verified=False)
    invite = services.invite_send(
        team, actor=captain, target=unverified.email, role="player"
    )
    assert invite.profile is None


def test_send_to_disbanded_team_rejected(team, captain, outsider):
    team.disbanded_at = timezone.now()
    team.save()
    with pytest.raises((Conflict, PermissionDenied)):
        services.invite_send(
            team, actor=captain, target=outsider.username, role="player"
        )
    assert not Invite.objects.exists()


# Accepting


def test_accept_joins_in_offered_role(team, captain, outsider):
    invite = InviteFactory(team=team, profile=outsider.profile, role="substitute")
    membership, joined = services.invite_accept(invite.pk, user=outsider)
    assert joined is True
    assert membership.team == team
    assert membership.role == "substitute"
    invite.refresh_from_db()
    assert invite.status == Invite.Status.ACCEPTED
    assert invite.responded_at is not None


def test_accept_records_roster_event(team, outsider):
    invite = InviteFactory(team=team, profile=outsider.profile)
    services.invite_accept(invite.pk, user=outsider)
    event = RosterEvent.objects.get(team=team, profile=outsider.profile)
    assert event.kind == RosterEvent.Kind.JOINED
    assert event.data == {"via": "invite"}


def test_accept_notifies_inviter(team, captain, outsider):
    invite = InviteFactory(team=team, profile=outsider.profile, invited_by=captain)
    services.invite_accept(invite.pk, user=outsider)
    notification = Notification.objects.get(recipient=captain)
    assert notification.kind == kinds.INVITE_ACCEPTED
    assert outsider.username in notification.text


def test_accept_twice_is_harmless(team, outsider):
    invite = InviteFactory(team=team, profile=outsider.profile)
    first, first_joined = services.invite_accept(invite.pk, user=outsider)
    second, second_joined = services.invite_accept(invite.pk, user=outsider)
    assert first_joined is True
    assert second_joined is False
    assert second.pk == first.pk
    assert _memberships(team, outsider).count() == 1


def test_accept_closes_own_join_request(team, outsider):
    request = JoinRequestFactory(team=team, profile=outsider.profile)
    invite = InviteFactory(team=team, profile=outsider.profile)
    services.invite_accept(invite.pk, user=outsider)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.APPROVED


def test_accept_after_leaving_rejected(team, outsider):
    invite = InviteFactory(team=team, profile=outsider.profile)
    membership, _ = services.invite_accept(invite.pk, user=outsider)
    roster_services.roster_leave(team, actor=outsider)
    with pytest.raises(Conflict) as error:
        services.invite_accept(invite.pk, user=outsider)
    assert error.value.message == direct.MSG_INVITE_USED
    assert _memberships(team, outsider).filter(status="active").count() == 0


# Every refusal has its own message and creates no membership.


def _expired(team, user):
    return InviteFactory(
        team=team,
        profile=user.profile,
        created_at=timezone.now() - timedelta(days=8),
        expires_at=timezone.now() - timedelta(days=1),
    )


def test_refusal_expired_before_task(team, outsider):
    invite = _expired(team, outsider)
    with pytest.raises(Conflict) as error:
        services.invite_accept(invite.pk, user=outsider)
    assert error.value.code == "invite_expired"
    assert error.value.message.startswith("This invite expired on ")
    assert not _memberships(team, outsider).exists()


def test_refusal_cancelled(team, outsider):
    invite = InviteFactory(team=team, profile=outsider.profile, status="cancelled")
    with pytest.raises(Conflict) as error:
        services.invite_accept(invite.pk, user=outsider)
    assert error.value.message == direct.MSG_INVITE_CANCELLED
    assert not _memberships(team, outsider).exists()


def test_refusal_declined(team, outsider):
    invite = InviteFactory(team=team, profile=outsider.profile, status="declined")
    with pytest.raises(Conflict) as error:
        services.invite_accept(invite.pk, user=outsider)
    assert error.value.message == direct.MSG_INVITE_DECLINED
    assert not _memberships(team, outsider).exists()


def test_refusal_wrong_user(team, outsider):
    invite = InviteFactory(team=team)
    with pytest.raises(PermissionDenied) as error:
        services.invite_accept(invite.pk, user=outsider)
    assert error.value.message == direct.MSG_INVITE_NOT_YOURS
    assert error.value.status == 403
    assert not _memberships(team, outsider).exists()
    invite.refresh_from_db()
    assert invite.status == Invite.Status.PENDING


def test_refusal_missing_invite(outsider):
    with pytest.raises(NotFound) as error:
        services.invite_accept(999_999, user=outsider)
    assert error.value.message == direct.MSG_INVITE_NOT_FOUND


def test_refusal_locked(team, outsider):
    RosterLock.objects.create(team=team, reason="Cup final")
    invite = InviteFactory(team=team, profile=outsider.profile)
    with pytest.raises(Conflict) as error:
        services.invite_accept(invite.pk, user=outsider)
    assert error.value.code == "roster_locked"
    assert error.value.message == roster_services.MSG_ROSTER_LOCKED.format(
        reason=" (Cup final)"
    )
    assert not _memberships(team, outsider).exists()
    invite.refresh_from_db()
    assert invite.status == Invite.Status.PENDING


def test_refusal_full(team, outsider):
    fill_roster(team)
    invite = InviteFactory(team=team, profile=outsider.profile)
    with pytest.raises(Conflict) as error:
        services.invite_accept(invite.pk, user=outsider)
    limit = team.game.roster_limit
    assert error.value.message == roster_services.MSG_ROSTER_FULL.format(
        count=limit, limit=limit
    )
    assert not _memberships(team, outsider).exists()


def test_refusal_coach_slots_full(team, outsider):
    for _ in range(team.game.max_coaches):
        MembershipFactory(team=team, role="coach")
    invite = InviteFactory(team=team, profile=outsider.profile, role="coach")
    with pytest.raises(Conflict) as error:
        services.invite_accept(invite.pk, user=outsider)
    assert error.value.code == "roster_full"
    assert not _memberships(team, outsider).exists()


def test_refusal_already_in_team_of_game(team, captain, outsider):
    other, _ = team_with_roster(roles=("captain",))
    MembershipFactory(team=other, profile=outsider.profile)
    invite = services.invite_send(
        team, actor=captain, target=outsider.username, role="player"
    )
    with pytest.raises(Conflict) as error:
        services.invite_accept(invite.pk, user=outsider)
    assert error.value.status == 409
    assert error.value.code == "already_in_game"
    assert other.name in error.value.message
    assert not _memberships(team, outsider).exists()


def test_refusal_merged(team, outsider):
    invite = InviteFactory(team=team, profile=outsider.profile, status="merged")
    with pytest.raises(Conflict) as error:
        services.invite_accept(invite.pk, user=outsider)
    assert error.value.message == direct.MSG_INVITE_MERGED


# Declining and cancelling


def test_decline_marks_and_notifies(team, captain, outsider):
    invite = InviteFactory(team=team, profile=outsider.profile, invited_by=captain)
    services.invite_decline(invite.pk, user=outsider)
    invite.refresh_from_db()
    assert invite.status == Invite.Status.DECLINED
    assert Notification.objects.get(recipient=captain).kind == kinds.INVITE_DECLINED
    assert not _memberships(team, outsider).exists()


def test_decline_wrong_user(team, outsider):
    invite = InviteFactory(team=team)
    with pytest.raises(PermissionDenied):
        services.invite_decline(invite.pk, user=outsider)


def test_cancel_marks_and_notifies(team, co_captain, outsider):
    invite = InviteFactory(team=team, profile=outsider.profile)
    services.invite_cancel(team, invite.pk, actor=co_captain)
    invite.refresh_from_db()
    assert invite.status == Invite.Status.CANCELLED
    notification = Notification.objects.get(recipient=outsider)
    assert notification.kind == kinds.INVITE_CANCELLED


def test_cancel_other_teams_invite_not_found(team, captain):
    other, _ = team_with_roster(roles=("captain",))
    invite = InviteFactory(team=other)
    with pytest.raises(NotFound) as error:
        services.invite_cancel(team, invite.pk, actor=captain)
    assert error.value.message == direct.MSG_INVITE_NOT_IN_TEAM
    invite.refresh_from_db()
    assert invite.status == Invite.Status.PENDING


def test_cancel_answered_invite_rejected(team, captain):
    invite = InviteFactory(team=team, status="accepted")
    with pytest.raises(Conflict) as error:
        services.invite_cancel(team, invite.pk, actor=captain)
    assert error.value.message == direct.MSG_CANCEL_NOT_PENDING.format(
        status="Accepted"
    )


def test_cancel_by_player_denied(team, member):
    invite = InviteFactory(team=team)
    with pytest.raises(PermissionDenied):
        services.invite_cancel(team, invite.pk, actor=member)


def test_accept_expiry_boundary(team, outsider):
    with time_machine.travel("2030-01-01 12:00Z", tick=False):
        invite = InviteFactory(team=team, profile=outsider.profile)
    with time_machine.travel("2030-01-08 11:59:59Z", tick=False):
        _, joined = services.invite_accept(invite.pk, user=outsider)
    assert joined is True
