from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from core.errors import Conflict
from invites import services
from invites.models import Invite, InviteLink
from invites.tasks import expire_invites_task
from teams.models import Membership

from .factories import InviteFactory, link_with_token

pytestmark = pytest.mark.django_db

START = "2030-03-01 10:00Z"


def test_task_in_beat_schedule_hourly():
    entry = settings.CELERY_BEAT_SCHEDULE["invites-expire"]
    assert entry["task"] == "invites.tasks.expire_invites_task"
    assert entry["schedule"] == 3600.0


def test_task_marks_only_lapsed_rows(team):
    with time_machine.travel(START, tick=False) as clock:
        lapsing = InviteFactory(team=team)
        fresh = InviteFactory(team=team, expires_at=timezone.now() + timedelta(days=30))
        link, _ = link_with_token(
            team=team, expires_at=timezone.now() + timedelta(days=1)
        )
        clock.shift(timedelta(days=7, seconds=1))
        result = expire_invites_task()
    assert result == {"invites": 1, "links": 1}
    lapsing.refresh_from_db()
    fresh.refresh_from_db()
    link.refresh_from_db()
    assert lapsing.status == Invite.Status.EXPIRED
    assert fresh.status == Invite.Status.PENDING
    assert link.status == InviteLink.Status.EXPIRED


def test_task_is_idempotent(team):
    InviteFactory(team=team, expires_at=timezone.now() - timedelta(seconds=1))
    assert expire_invites_task() == {"invites": 1, "links": 0}
    assert expire_invites_task() == {"invites": 0, "links": 0}


def test_task_leaves_answered_invites(team):
    invite = InviteFactory(
        team=team, status="declined", expires_at=timezone.now() - timedelta(days=1)
    )
    expire_invites_task()
    invite.refresh_from_db()
    assert invite.status == Invite.Status.DECLINED


@pytest.mark.parametrize("task_ran", [False, True])
def test_accept_after_expiry_rejected(team, outsider, task_ran):
    with time_machine.travel(START, tick=False) as clock:
        invite = InviteFactory(team=team, profile=outsider.profile)
        clock.shift(timedelta(days=7))
        if task_ran:
            expire_invites_task()
        with pytest.raises(Conflict) as error:
            services.invite_accept(invite.pk, user=outsider)
    assert error.value.code == "invite_expired"
    assert error.value.status == 409
    assert not Membership.objects.filter(profile=outsider.profile).exists()
    invite.refresh_from_db()
    expected = Invite.Status.EXPIRED if task_ran else Invite.Status.PENDING
    assert invite.status == expected


@pytest.mark.parametrize("task_ran", [False, True])
def test_link_after_expiry_rejected(team, outsider, task_ran):
    with time_machine.travel(START, tick=False) as clock:
        _, token = link_with_token(
            team=team, expires_at=timezone.now() + timedelta(hours=1)
        )
        clock.shift(timedelta(hours=1))
        if task_ran:
            expire_invites_task()
        with pytest.raises(Conflict) as error:
            services.invite_link_join(token, user=outsider)
    assert error.value.code == "link_expired"
    assert not Membership.objects.filter(profile=outsider.profile).exists()


def test_inbox_hides_lapsed_invite_before_task(team, outsider):
    from invites.selectors import pending_invites_for_user

    with time_machine.travel(START, tick=False) as clock:
        InviteFactory(team=team, profile=outsider.profile)
        assert pending_invites_for_user(outsider).count() == 1
        clock.shift(timedelta(days=7))
        assert pending_invites_for_user(outsider).count() == 0
