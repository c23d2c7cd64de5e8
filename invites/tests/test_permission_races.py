"""A manager demoted or removed while an invite action runs is refused.

The services check the right to manage invites after they lock the team row,
so a roster change that holds the lock first decides the outcome. The race
tests use real threads on PostgreSQL: one thread locks the team row and
demotes the co-captain, the other starts the action, and the first commits
only once the second waits for its lock (or has finished without waiting).
"""

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.errors import DomainError, PermissionDenied
from invites import services
from invites.models import Invite, InviteLink, JoinRequest
from teams.models import Membership, Team
from teams.permissions import MSG_DENIED
from teams.tests.factories import team_with_roster

from .factories import InviteFactory, JoinRequestFactory, link_with_token

THREAD_TIMEOUT = 30


def _demote(team, user):
    Membership.objects.filter(team=team, profile__user=user).update(role="player")


def _remove(team, user):
    Membership.objects.filter(team=team, profile__user=user).update(
        status="ended", ended_at=timezone.now()
    )


# Each case: a setup returning the action's arguments, the action, and a check
# that the action changed nothing.
def _approve_case(team):
    request = JoinRequestFactory(team=team)
    return (
        lambda actor: services.join_request_approve(team, request.pk, actor=actor),
        lambda: (
            JoinRequest.objects.get(pk=request.pk).status == "pending"
            and not Membership.objects.filter(profile=request.profile).exists()
        ),
    )


def _reject_case(team):
    request = JoinRequestFactory(team=team)
    return (
        lambda actor: services.join_request_reject(team, request.pk, actor=actor),
        lambda: JoinRequest.objects.get(pk=request.pk).status == "pending",
    )


def _cancel_case(team):
    invite = InviteFactory(team=team)
    return (
        lambda actor: services.invite_cancel(team, invite.pk, actor=actor),
        lambda: Invite.objects.get(pk=invite.pk).status == "pending",
    )


def _revoke_case(team):
    link, _token = link_with_token(team=team)
    return (
        lambda actor: services.invite_link_revoke(team, link.pk, actor=actor),
        lambda: InviteLink.objects.get(pk=link.pk).status == "active",
    )


def _send_case(team):
    invitee = UserFactory()
    return (
        lambda actor: services.invite_send(
            team, actor=actor, target=invitee.username, role="player"
        ),
        lambda: not Invite.objects.filter(profile=invitee.profile).exists(),
    )


def _link_create_case(team):
    return (
        lambda actor: services.invite_link_create(
            team, actor=actor, role="player", expires_in_hours=24, max_uses=1
        ),
        lambda: not InviteLink.objects.filter(team=team).exists(),
    )


CASES = {
    "approve": _approve_case,
    "reject": _reject_case,
    "cancel": _cancel_case,
    "revoke": _revoke_case,
    "send": _send_case,
    "link_create": _link_create_case,
}


@pytest.fixture
def crew(db):
    team, members = team_with_roster(roles=("captain", "co_captain"))
    return team, members[1].profile.user


@pytest.mark.django_db
@pytest.mark.parametrize("change", [_demote, _remove], ids=["demoted", "removed"])
@pytest.mark.parametrize("case", CASES)
def test_former_manager_denied(crew, case, change):
    team, co_captain = crew
    action, unchanged = CASES[case](team)
    change(team, co_captain)
    with pytest.raises(PermissionDenied) as error:
        action(co_captain)
    assert error.value.message == MSG_DENIED["manage_invites"]
    assert unchanged()


def _wait_until_blocked(backend_pid, finished):
    """Return True once backend_pid waits for a lock, False if it finished."""
    deadline = time.monotonic() + THREAD_TIMEOUT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline and not finished.is_set():
            cursor.execute("SELECT cardinality(pg_blocking_pids(%s))", [backend_pid])
            if cursor.fetchone()[0] > 0:
                return True
    return False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("change", [_demote, _remove], ids=["demoted", "removed"])
@pytest.mark.parametrize("case", CASES)
def test_demotion_holding_lock_wins(postgres_only, crew, case, change):
    team, co_captain = crew
    action, unchanged = CASES[case](team)
    changed = threading.Event()
    actor_connected = threading.Event()
    actor_finished = threading.Event()
    actor_pid = []
    outcomes = []
    blocked = []

    def roster_change():
        try:
            with transaction.atomic():
                # The lock a roster change takes before it demotes or removes.
                Team.objects.select_for_update().get(pk=team.pk)
                change(team, co_captain)
                changed.set()
                assert actor_connected.wait(THREAD_TIMEOUT)
                blocked.append(_wait_until_blocked(actor_pid[0], actor_finished))
        finally:
            connection.close()

    def act():
        try:
            assert changed.wait(THREAD_TIMEOUT)
            connection.ensure_connection()
            actor_pid.append(connection.connection.info.backend_pid)
            actor_connected.set()
            action(co_captain)
            outcomes.append("done")
        except DomainError as error:
            outcomes.append(error.code)
        except Exception as error:  # reported by the assert below
            outcomes.append(repr(error))
        finally:
            actor_finished.set()
            connection.close()

    threads = [threading.Thread(target=roster_change), threading.Thread(target=act)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(THREAD_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    assert outcomes == ["denied_manage_invites"]
    assert blocked == [True]
    assert unchanged()
