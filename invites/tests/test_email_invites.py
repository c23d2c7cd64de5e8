import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import PASSWORD
from core.errors import Conflict
from invites import kinds, services
from invites.models import Invite
from invites.services import direct
from notifications.models import Notification

from .factories import InviteFactory

pytestmark = pytest.mark.django_db

ADDRESS = "new.player@example.com"
SIGNUP_URL = "http://testserver/accounts/signup/"


def _sign_up(client, username, email):
    response = client.post(
        reverse("account_signup"),
        {
            "email": email,
            "username": username,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302


def _confirm_from_mail(client, message):
    match = re.search(r"http://testserver(/accounts/confirm-email/\S+)", message.body)
    assert match, message.body
    response = client.post(match.group(1))
    assert response.status_code == 302


def test_email_invite_mailed_after_commit(
    team, captain, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        invite = services.invite_send(
            team,
            actor=captain,
            target="New.Player@Example.com",
            role="player",
            signup_url=SIGNUP_URL,
        )
        assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert invite.profile is None
    assert invite.email == ADDRESS
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [ADDRESS]
    assert team.name in message.subject
    assert SIGNUP_URL in message.body
    assert "as player" in message.body


def test_email_invite_one_pending_per_address(team, captain, co_captain):
    services.invite_send(team, actor=captain, target=ADDRESS, role="player")
    with pytest.raises(Conflict) as error:
        services.invite_send(
            team, actor=co_captain, target=ADDRESS.upper(), role="coach"
        )
    assert error.value.message == direct.MSG_DUPLICATE.format(
        invitee=ADDRESS, team=team.name
    )
    assert Invite.objects.count() == 1


def test_email_invite_attached_after_verification(
    client, team, captain, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite = services.invite_send(
            team, actor=captain, target=ADDRESS, role="substitute"
        )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, "newplayer", ADDRESS)
    invite.refresh_from_db()
    assert invite.profile is None

    _confirm_from_mail(client, mailoutbox[-1])

    user = User.objects.get(username="newplayer")
    invite.refresh_from_db()
    assert invite.profile == user.profile
    assert invite.status == Invite.Status.PENDING
    notification = Notification.objects.get(recipient=user)
    assert notification.kind == kinds.INVITE_RECEIVED
    membership, joined = services.invite_accept(invite.pk, user=user)
    assert joined is True
    assert membership.role == "substitute"


def test_email_invite_merged_with_handle_invite(
    client, team, captain, co_captain, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, "newplayer", ADDRESS)
    confirmation = mailoutbox[-1]
    user = User.objects.get(username="newplayer")
    # The address is not verified yet, so this stays an email invite.
    by_email = services.invite_send(team, actor=captain, target=ADDRESS, role="coach")
    by_handle = services.invite_send(
        team, actor=co_captain, target="newplayer", role="player"
    )
    Invite.objects.filter(pk=by_email.pk).update(
        expires_at=timezone.now() + timedelta(days=9)
    )
    assert by_email.profile is None

    _confirm_from_mail(client, confirmation)

    by_email.refresh_from_db()
    by_handle.refresh_from_db()
    pending = Invite.objects.filter(team=team, status="pending")
    assert list(pending) == [by_handle]
    assert by_email.status == Invite.Status.MERGED
    assert by_handle.profile == user.profile
    assert by_handle.expires_at > timezone.now() + timedelta(days=8)


def test_attach_skips_other_addresses_and_lapsed(team, outsider):
    other = InviteFactory(team=team, profile=None, email="someone@example.com")
    lapsed = InviteFactory(
        team=team,
        profile=None,
        email=outsider.email,
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    assert services.invites_attach_email(outsider, outsider.email) == []
    other.refresh_from_db()
    lapsed.refresh_from_db()
    assert other.profile is None
    assert lapsed.profile is None


def test_email_failure_logged_invite_kept(
    team, captain, settings, caplog, django_capture_on_commit_callbacks
):
    # Port 1 on the loopback interface: nothing listens, so sending fails.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1
    failures = direct.mail_failures["count"]
    with django_capture_on_commit_callbacks(execute=True):
        invite = services.invite_send(
            team, actor=captain, target=ADDRESS, role="player"
        )
    assert Invite.objects.filter(pk=invite.pk, status="pending").exists()
    assert direct.mail_failures["count"] == failures + 1
    assert "invite email failed" in caplog.text


def test_email_invite_subject_not_escaped(
    captain, mailoutbox, django_capture_on_commit_callbacks
):
    team = captain.profile.memberships.get().team
    team.name = "A&B <x>"
    team.save(update_fields=["name"])
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_send(team, actor=captain, target=ADDRESS, role="player")
    assert len(mailoutbox) == 1
    subject = mailoutbox[0].subject
    assert subject == f"{captain.username} invited you to join A&B <x> on DeltaCrown"
    assert "&amp;" not in subject
    assert "A&B <x>, a " in mailoutbox[0].body
