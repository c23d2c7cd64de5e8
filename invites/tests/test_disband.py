import pytest

from invites import kinds
from invites.models import Invite, InviteLink, JoinRequest
from notifications.models import Notification
from teams.services import team_disband
from teams.tests.factories import team_with_roster

from .factories import InviteFactory, JoinRequestFactory, link_with_token

pytestmark = pytest.mark.django_db


def test_disband_closes_pending_items(team, captain, outsider):
    invite = InviteFactory(team=team, profile=outsider.profile)
    email_invite = InviteFactory(team=team, profile=None, email="new@example.com")
    accepted = InviteFactory(team=team, status="accepted")
    request = JoinRequestFactory(team=team)
    link, _ = link_with_token(team=team)

    team_disband(team, actor=captain)

    for row in (invite, email_invite, accepted, request, link):
        row.refresh_from_db()
    assert invite.status == Invite.Status.CANCELLED
    assert email_invite.status == Invite.Status.CANCELLED
    assert accepted.status == Invite.Status.ACCEPTED
    assert request.status == JoinRequest.Status.CANCELLED
    assert link.status == InviteLink.Status.REVOKED
    assert link.revoked_at is not None


def test_disband_notifies_invitees(team, captain, outsider):
    InviteFactory(team=team, profile=outsider.profile)
    team_disband(team, actor=captain)
    notification = Notification.objects.get(recipient=outsider)
    assert notification.kind == kinds.INVITE_CANCELLED


def test_disband_leaves_other_teams_alone(team, captain):
    other, _ = team_with_roster(roles=("captain",))
    invite = InviteFactory(team=other)
    link, _ = link_with_token(team=other)
    team_disband(team, actor=captain)
    invite.refresh_from_db()
    link.refresh_from_db()
    assert invite.status == Invite.Status.PENDING
    assert link.status == InviteLink.Status.ACTIVE
