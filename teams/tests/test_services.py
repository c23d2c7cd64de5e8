import pytest
import time_machine
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.errors import Conflict, DomainError, PermissionDenied
from games.models import Game, Region
from teams import services
from teams.models import Membership, Team, TeamSlug
from teams.signals import team_disbanded
from teams.tests.factories import TeamFactory

CYRILLIC_E = "\u0415"


def _create(user, name, game_slug="cs2", **fields):
    return services.team_create(
        user=user, game=Game.objects.get(slug=game_slug), name=name, **fields
    )


@pytest.mark.django_db
def test_creator_becomes_captain(user):
    team = _create(user, "Astral Vipers", tag="AV", country="FI")
    membership = Membership.objects.get(team=team)
    assert membership.profile == user.profile
    assert membership.role == Membership.Role.CAPTAIN
    assert membership.game_id == team.game_id
    assert team.slug == "astral-vipers"
    assert team.created_by == user


@pytest.mark.django_db
def test_unverified_cannot_create():
    unverified = UserFactory(verified=False)
    with pytest.raises(PermissionDenied) as caught:
        _create(unverified, "Astral Vipers")
    assert caught.value.message == services.MSG_UNVERIFIED
    assert not Team.objects.exists()


@pytest.mark.django_db
def test_lookalike_name_conflicts(user):
    _create(user, "ENCE")
    with pytest.raises(Conflict) as caught:
        _create(UserFactory(), f"{CYRILLIC_E}NCE")
    assert caught.value.code == "name_taken"
    assert caught.value.message == services.MSG_NAME_TAKEN.format(
        game="Counter-Strike 2", name=f"{CYRILLIC_E}NCE"
    )


@pytest.mark.django_db
def test_case_variant_conflicts(user):
    _create(user, "Team Liquid")
    with pytest.raises(Conflict):
        _create(UserFactory(), "team  LIQUID")


@pytest.mark.django_db
def test_same_name_other_game(user):
    _create(user, "ENCE")
    team = _create(user, "ENCE", game_slug="valorant")
    assert team.slug == "ence-2"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["9z", "100 Thieves", "[ZERO] Protocol", "Famalicão"])
def test_unusual_names_accepted(user, name):
    team = _create(user, name)
    assert team.name == name


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["", "   ", "!!!", "\u200b"])
def test_empty_name_rejected(user, name):
    with pytest.raises(DomainError) as caught:
        _create(user, name)
    assert caught.value.message == services.MSG_NAME_EMPTY


@pytest.mark.django_db
def test_long_name_rejected(user):
    with pytest.raises(DomainError) as caught:
        _create(user, "x" * 65)
    assert caught.value.message == services.MSG_NAME_LENGTH.format(limit=64)


@pytest.mark.django_db
@pytest.mark.parametrize("tag", ["A", "TOOLONG", "A B"])
def test_bad_tags_rejected(user, tag):
    with pytest.raises(DomainError) as caught:
        _create(user, "Astral Vipers", tag=tag)
    assert caught.value.message in (
        services.MSG_TAG_LENGTH,
        services.MSG_TAG_CHARACTERS,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("tag", ["G2", "NAVI", "C9", "ENCE5"])
def test_good_tags_accepted(user, tag):
    assert _create(user, "Astral Vipers", tag=tag).tag == tag


@pytest.mark.django_db
def test_tag_unique_per_game(user):
    _create(user, "Astral Vipers", tag="AV")
    with pytest.raises(Conflict) as caught:
        _create(UserFactory(), "Azure Vultures", tag="av")
    assert caught.value.code == "tag_taken"
    other = _create(UserFactory(), "Azure Vultures", tag="AV", game_slug="lol")
    assert other.tag == "AV"


@pytest.mark.django_db
def test_teams_without_tag_coexist(user):
    _create(user, "Astral Vipers")
    assert _create(UserFactory(), "Azure Vultures").tag_key == ""


@pytest.mark.django_db
def test_one_team_per_game(user):
    first = _create(user, "Astral Vipers")
    with pytest.raises(Conflict) as caught:
        _create(user, "Azure Vultures")
    assert caught.value.message == services.MSG_ALREADY_IN_GAME.format(
        game="Counter-Strike 2", team=first.name
    )


@pytest.mark.django_db
@pytest.mark.parametrize("word", ["hub", "leaderboard", "create", "search", "Edit"])
def test_reserved_slug_avoided(user, word):
    team = _create(user, word)
    assert team.slug == f"{word.lower()}-team"


@pytest.mark.django_db
def test_digits_only_slug(user):
    assert _create(user, "100").slug == "100-team"


@pytest.mark.django_db
def test_slug_clash_takes_next(user):
    _create(user, "Team-Liquid")
    second = _create(UserFactory(), "Team Liquid!")
    assert second.slug == "team-liquid-2"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.com/x"])
def test_social_links_http_only(user, url):
    with pytest.raises(DomainError) as caught:
        _create(user, "Astral Vipers", website_url=url)
    assert caught.value.code == "invalid_website_url"


@pytest.mark.django_db
def test_unknown_field_rejected(user):
    with pytest.raises(TypeError):
        _create(user, "Astral Vipers", total_points=5000)


@pytest.mark.django_db
def test_rename_keeps_old_slug(crew):
    old_slug = crew.team.slug
    services.team_update(crew.team, actor=crew.captain, name="Warsaw Wolves")
    crew.team.refresh_from_db()
    assert crew.team.slug == "warsaw-wolves"
    assert TeamSlug.objects.get(slug=old_slug).team == crew.team
    assert crew.team.name_changed_at is not None


@pytest.mark.django_db
def test_rename_back_reuses_slug(crew):
    old_slug = crew.team.slug
    services.team_update(crew.team, name="Warsaw Wolves")
    services.team_update(crew.team, name="Kraków Knights", cooldown=False)
    assert crew.team.slug == old_slug
    assert list(TeamSlug.objects.values_list("slug", flat=True)) == ["warsaw-wolves"]


@pytest.mark.django_db
def test_rename_cooldown(crew):
    with time_machine.travel("2026-01-01 12:00Z", tick=False):
        services.team_update(crew.team, actor=crew.captain, name="Warsaw Wolves")
    with (
        time_machine.travel("2026-01-20 12:00Z", tick=False),
        pytest.raises(Conflict) as caught,
    ):
        services.team_update(crew.team, actor=crew.captain, name="Gdańsk Gulls")
    assert caught.value.code == "rename_cooldown"
    with time_machine.travel("2026-02-01 12:00Z", tick=False):
        services.team_update(crew.team, actor=crew.captain, name="Gdańsk Gulls")
    assert crew.team.name == "Gdańsk Gulls"


@pytest.mark.django_db
def test_rename_to_lookalike_conflicts(crew, user):
    _create(user, "ENCE")
    with pytest.raises(Conflict):
        services.team_update(crew.team, name=f"{CYRILLIC_E}NCE")


@pytest.mark.django_db
def test_update_fields(crew):
    europe = Region.objects.get(slug="europe")
    services.team_update(
        crew.team,
        region=europe,
        description="**Hello**",
        is_recruiting=True,
        recruiting_message="Need an AWPer",
        privacy=Team.Privacy.PRIVATE,
    )
    crew.team.refresh_from_db()
    assert crew.team.region == europe
    assert crew.team.is_private
    assert crew.team.recruiting_message == "Need an AWPer"


@pytest.mark.django_db
def test_invalid_privacy_rejected(crew):
    with pytest.raises(DomainError) as caught:
        services.team_update(crew.team, privacy="secret")
    assert caught.value.code == "invalid_privacy"


@pytest.mark.django_db
def test_disband_ends_memberships(crew):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    team_disbanded.connect(receiver)
    try:
        services.team_disband(crew.team, actor=crew.captain)
    finally:
        team_disbanded.disconnect(receiver)
    crew.team.refresh_from_db()
    assert not crew.team.is_active
    assert not Membership.objects.filter(status="active").exists()
    assert Membership.objects.filter(team=crew.team).count() == 5
    assert len(received) == 1
    assert len(received[0]["memberships"]) == 5


@pytest.mark.django_db
def test_disband_frees_name(crew, user):
    services.team_disband(crew.team)
    team = _create(user, "Kraków Knights", tag="KRK")
    assert team.slug == "krakow-knights-2"


@pytest.mark.django_db
def test_disbanded_team_not_editable(crew):
    services.team_disband(crew.team)
    with pytest.raises(Conflict) as caught:
        services.team_update(crew.team, description="back")
    assert caught.value.code == "disbanded"


@pytest.mark.django_db
def test_disband_twice_harmless(crew):
    services.team_disband(crew.team)
    first = Team.objects.get(pk=crew.team.pk).disbanded_at
    services.team_disband(crew.team)
    assert Team.objects.get(pk=crew.team.pk).disbanded_at == first


@pytest.mark.django_db
def test_factory_team_is_public():
    team = TeamFactory()
    assert team.privacy == Team.Privacy.PUBLIC
    assert team.created_at <= timezone.now()
