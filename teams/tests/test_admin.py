import pytest
from django.urls import reverse

from teams.admin import MSG_SECOND_CAPTAIN
from teams.models import Membership, Team
from teams.naming import name_key
from teams.services import MSG_NAME_TAKEN

CYRILLIC_E = "\u0415"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "admin:teams_team_changelist",
        "admin:teams_membership_changelist",
        "admin:teams_teamslug_changelist",
    ],
)
def test_changelists_load(client, staff_user, crew, url_name):
    client.force_login(staff_user)
    response = client.get(reverse(url_name), {"q": "krak"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_team_filters_load(client, staff_user, crew):
    client.force_login(staff_user)
    response = client.get(
        reverse("admin:teams_team_changelist"),
        {"status": "active", "game__id__exact": crew.team.game_id},
    )
    assert response.status_code == 200
    assert "Kraków Knights" in response.content.decode()


@pytest.mark.django_db
def test_team_change_page_loads(client, staff_user, crew):
    client.force_login(staff_user)
    url = reverse("admin:teams_team_change", args=[crew.team.pk])
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_admin_add_computes_keys(client, staff_user, cs2):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:teams_team_add"),
        {
            "game": cs2.pk,
            "name": "  Astral   Vipers ",
            "tag": "AV",
            "privacy": "public",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
            "old_slugs-TOTAL_FORMS": 0,
            "old_slugs-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    team = Team.objects.get()
    assert team.name == "Astral Vipers"
    assert team.name_key == name_key("Astral Vipers")
    assert team.slug == "astral-vipers"


@pytest.mark.django_db
def test_admin_rejects_lookalike(client, staff_user, crew):
    crew.team.name = "ENCE"
    crew.team.name_key = name_key("ENCE")
    crew.team.save()
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:teams_team_add"),
        {
            "game": crew.team.game_id,
            "name": f"{CYRILLIC_E}NCE",
            "privacy": "public",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
            "old_slugs-TOTAL_FORMS": 0,
            "old_slugs-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [
        MSG_NAME_TAKEN.format(game="Counter-Strike 2", name=f"{CYRILLIC_E}NCE")
    ]


@pytest.mark.django_db
def test_admin_rejects_second_captain(client, staff_user, crew):
    client.force_login(staff_user)
    player = crew.members[2]
    url = reverse("admin:teams_membership_change", args=[player.pk])
    response = client.post(
        url,
        {
            "team": crew.team.pk,
            "profile": player.profile_id,
            "role": "captain",
            "status": "active",
            "joined_at_0": "2026-01-01",
            "joined_at_1": "12:00:00",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["role"] == [
        MSG_SECOND_CAPTAIN.format(team=crew.team)
    ]
    player.refresh_from_db()
    assert player.role == Membership.Role.PLAYER


@pytest.mark.django_db
def test_admin_disband_action(client, staff_user, crew):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:teams_team_changelist"),
        {"action": "disband_selected", "_selected_action": [crew.team.pk]},
    )
    assert response.status_code == 302
    crew.team.refresh_from_db()
    assert not crew.team.is_active
