"""Team edits and disbands act on the locked, committed row."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.errors import Conflict, PermissionDenied
from core.images import clean_image_upload
from rankings.services import ledger_add
from roster.services import roster_lock
from teams import services
from teams.models import Membership, Team

pytestmark = pytest.mark.django_db


def _png(name="logo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "red").save(buffer, "PNG")
    return clean_image_upload(SimpleUploadedFile(name, buffer.getvalue()))


def test_edit_keeps_points_added_meanwhile(crew):
    stale = Team.objects.get(pk=crew.team.pk)
    ledger_add(
        crew.team,
        amount=500,
        source="adjustment",
        reason="test",
        idempotency_key="lock-test",
    )
    services.team_update(stale, actor=crew.captain, description="New text")
    crew.team.refresh_from_db()
    assert crew.team.total_points == 500
    assert crew.team.description == "New text"
    assert stale.total_points == 500


def test_failed_edit_keeps_current_logo(crew, user):
    services.team_update(crew.team, actor=crew.captain, logo=_png())
    crew.team.refresh_from_db()
    current = crew.team.logo.name
    services.team_create(user=user, game=crew.team.game, name="Taken Name")
    with pytest.raises(Conflict):
        services.team_update(
            crew.team, actor=crew.captain, name="Taken Name", logo=_png()
        )
    crew.team.refresh_from_db()
    assert crew.team.logo.name == current
    assert crew.team.logo.storage.exists(current)


def test_edit_by_player_is_denied(crew):
    with pytest.raises(PermissionDenied):
        services.team_update(crew.team, actor=crew.player, description="Hijack")
    crew.team.refresh_from_db()
    assert crew.team.description != "Hijack"


def test_edit_by_demoted_co_captain_is_denied(crew):
    Membership.objects.filter(team=crew.team, role="co_captain").update(role="player")
    with pytest.raises(PermissionDenied):
        services.team_update(crew.team, actor=crew.co_captain, description="Late")


def test_disband_rejected_while_roster_locked(crew, staff_user):
    roster_lock(crew.team, actor=staff_user, reason="Finals")
    with pytest.raises(Conflict) as caught:
        services.team_disband(crew.team, actor=crew.captain)
    assert caught.value.code == "roster_locked"
    assert "Finals" in caught.value.message
    assert Team.objects.get(pk=crew.team.pk).disbanded_at is None


def test_staff_disband_while_roster_locked(crew, staff_user):
    roster_lock(crew.team, actor=staff_user)
    services.team_disband(crew.team, actor=staff_user)
    assert Team.objects.get(pk=crew.team.pk).disbanded_at is not None


def test_disband_by_co_captain_is_denied(crew):
    with pytest.raises(PermissionDenied):
        services.team_disband(crew.team, actor=crew.co_captain)
    assert Team.objects.get(pk=crew.team.pk).disbanded_at is None
