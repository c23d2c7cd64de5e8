import pytest

from core.errors import Conflict, DomainError, NotFound, PermissionDenied
from invites import kinds, services
from invites.models import Invite, JoinRequest
from invites.services import join_requests
from notifications.models import Notification
from roster import services as roster_services
from roster.models import RosterEvent, RosterLock
from teams.models import Membership
from teams.tests.factories import team_with_roster

from .factories import InviteFactory, JoinRequestFactory, fill_roster

pytestmark = pytest.mark.django_db


def test_create_notifies_captain_and_co_captains(
    team, captain, co_captain, member, outsider
):
    request = services.join_request_create(
        team, user=outsider, role="substitute", message="Entry fragger, EU evenings."
    )
    assert request.status == JoinRequest.Status.PENDING
    assert request.role == "substitute"
    recipients = set(
        Notification.objects.filter(kind=kinds.JOIN_REQUEST_RECEIVED).values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {captain.pk, co_captain.pk}


def test_create_not_recruiting(team, outsider):
    team.is_recruiting = False
    team.save()
    with pytest.raises(Conflict) as error:
        services.join_request_create(team, user=outsider, role="player")
    assert error.value.message == join_requests.MSG_NOT_RECRUITING.format(
        team=team.name
    )
    assert not JoinRequest.objects.exists()


def test_create_private_team_invite_only(team, outsider):
    team.privacy = "private"
    team.save()
    with pytest.raises(PermissionDenied) as error:
        services.join_request_create(team, user=outsider, role="player")
    assert error.value.message == join_requests.MSG_PRIVATE_TEAM.format(team=team.name)
    assert not JoinRequest.objects.exists()


def test_create_by_member_rejected(team, member):
    with pytest.raises(Conflict) as error:
        services.join_request_create(team, user=member, role="player")
    assert error.value.message == join_requests.MSG_REQUEST_ALREADY_MEMBER.format(
        team=team.name
    )


def test_create_duplicate_rejected(team, outsider):
    services.join_request_create(team, user=outsider, role="player")
    with pytest.raises(Conflict) as error:
        services.join_request_create(team, user=outsider, role="coach")
    assert error.value.message == join_requests.MSG_REQUEST_DUPLICATE.format(
        team=team.name
    )
    assert JoinRequest.objects.count() == 1


def test_create_after_withdraw_allowed(team, outsider):
    services.join_request_create(team, user=outsider, role="player")
    services.join_request_withdraw(team, user=outsider)
    again = services.join_request_create(team, user=outsider, role="coach")
    assert again.status == JoinRequest.Status.PENDING
    assert JoinRequest.objects.filter(status="withdrawn").count() == 1


def test_create_role_not_offered(team, outsider):
    with pytest.raises(DomainError) as error:
        services.join_request_create(team, user=outsider, role="captain")
    assert error.value.code == "role_invalid"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("<script>alert(1)</script>Hi", "Hi"),
        ('<b>AWP</b> & <a href="javascript:x">rifle</a>', "AWP & rifle"),
        ("line one\r\n\r\n\r\n\r\nline two\x00\x07", "line one\n\nline two"),
        ("  5 < 6 > 4  ", "5 < 6 > 4"),
    ],
)
def test_message_stored_as_plain_text(team, outsider, typed, stored):
    request = services.join_request_create(
        team, user=outsider, role="player", message=typed
    )
    assert request.message == stored


def test_message_too_long(team, outsider):
    limit = JoinRequest.MESSAGE_MAX_LENGTH
    with pytest.raises(DomainError) as error:
        services.join_request_create(
            team, user=outsider, role="player", message="x" * (limit + 1)
        )
    assert error.value.message == join_requests.MSG_MESSAGE_TOO_LONG.format(limit=limit)


def test_withdraw_without_pending(team, outsider):
    with pytest.raises(NotFound) as error:
        services.join_request_withdraw(team, user=outsider)
    assert error.value.message == join_requests.MSG_NO_PENDING_REQUEST.format(
        team=team.name
    )


def test_approve_joins_in_requested_role(team, co_captain, outsider):
    request = JoinRequestFactory(team=team, profile=outsider.profile, role="coach")
    membership = services.join_request_approve(team, request.pk, actor=co_captain)
    assert membership.role == "coach"
    assert membership.profile == outsider.profile
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.APPROVED
    assert request.decided_by == co_captain
    notification = Notification.objects.get(recipient=outsider)
    assert notification.kind == kinds.JOIN_REQUEST_APPROVED
    event = RosterEvent.objects.get(team=team, profile=outsider.profile)
    assert event.data == {"via": "request"}


def test_approve_settles_pending_invite(team, captain, outsider):
    invite = InviteFactory(team=team, profile=outsider.profile)
    request = JoinRequestFactory(team=team, profile=outsider.profile)
    services.join_request_approve(team, request.pk, actor=captain)
    invite.refresh_from_db()
    assert invite.status == Invite.Status.ACCEPTED


def test_approve_by_player_denied(team, member, outsider):
    request = JoinRequestFactory(team=team, profile=outsider.profile)
    with pytest.raises(PermissionDenied):
        services.join_request_approve(team, request.pk, actor=member)
    assert not Membership.objects.filter(profile=outsider.profile).exists()


def test_approve_other_teams_request(team, captain, outsider):
    other, _ = team_with_roster(roles=("captain",), is_recruiting=True)
    request = JoinRequestFactory(team=other, profile=outsider.profile)
    with pytest.raises(NotFound) as error:
        services.join_request_approve(team, request.pk, actor=captain)
    assert error.value.message == join_requests.MSG_REQUEST_NOT_FOUND
    assert not Membership.objects.filter(profile=outsider.profile).exists()


def test_approve_answered_request(team, captain, outsider):
    request = JoinRequestFactory(
        team=team, profile=outsider.profile, status="withdrawn"
    )
    with pytest.raises(Conflict) as error:
        services.join_request_approve(team, request.pk, actor=captain)
    assert error.value.message == join_requests.MSG_REQUEST_NOT_PENDING.format(
        status="withdrawn"
    )
    assert not Membership.objects.filter(profile=outsider.profile).exists()


def test_approve_full_roster(team, captain, outsider):
    fill_roster(team)
    request = JoinRequestFactory(team=team, profile=outsider.profile)
    with pytest.raises(Conflict) as error:
        services.join_request_approve(team, request.pk, actor=captain)
    assert error.value.code == "roster_full"
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.PENDING
    assert not Membership.objects.filter(profile=outsider.profile).exists()


def test_approve_locked_roster(team, captain, outsider):
    RosterLock.objects.create(team=team)
    request = JoinRequestFactory(team=team, profile=outsider.profile)
    with pytest.raises(Conflict) as error:
        services.join_request_approve(team, request.pk, actor=captain)
    assert error.value.message == roster_services.MSG_ROSTER_LOCKED.format(reason="")
    assert not Membership.objects.filter(profile=outsider.profile).exists()


def test_reject_marks_and_notifies(team, captain, outsider):
    request = JoinRequestFactory(team=team, profile=outsider.profile)
    services.join_request_reject(team, request.pk, actor=captain)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.REJECTED
    assert request.decided_by == captain
    notification = Notification.objects.get(recipient=outsider)
    assert notification.kind == kinds.JOIN_REQUEST_REJECTED
    assert not Membership.objects.filter(profile=outsider.profile).exists()
