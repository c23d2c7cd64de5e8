"""Team writes: create, edit, rename, disband."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, DomainError, PermissionDenied

from .models import RESERVED_SLUGS, Membership, Team, TeamSlug
from .naming import name_key, name_sort_key, slug_base
from .selectors import team_name_taken, team_tag_taken
from .signals import team_disbanded

logger = logging.getLogger(__name__)

MSG_NAME_TAKEN = "A {game} team named “{name}” or one that looks like it exists."
MSG_TAG_TAKEN = "A {game} team already uses the tag “{tag}” or one like it."
MSG_NAME_EMPTY = "Enter a team name with at least one letter or digit."
MSG_TAG_LENGTH = "Tags are 2 to 5 characters long."
MSG_UNVERIFIED = "Verify your email address before creating a team."
MSG_ALREADY_IN_GAME = "You are already in a {game} team: {team}. Leave it first."
MSG_NO_PROFILE = "Your account has no player profile."
MSG_DISBANDED = "This team was disbanded."

TEAM_FIELDS = (
    "name", "tag", "region", "country", "description", "logo", "banner",
    "website_url", "twitter_url", "discord_url", "youtube_url", "twitch_url",
    "privacy", "is_recruiting", "recruiting_message",
)  # fmt: skip


def normalize_name(name):
    return " ".join((name or "").split())


def validate_name(name):
    if not any(char.isalnum() for char in name):
        raise DomainError(MSG_NAME_EMPTY, code="name_empty")


def validate_tag(tag):
    if tag and not 2 <= len(tag) <= 5:
        raise DomainError(MSG_TAG_LENGTH, code="tag_length")


def _slug_candidates(name):
    base = slug_base(name) or "team"
    if base in RESERVED_SLUGS or base.isdigit():
        base = f"{base}-team"
    yield base
    for number in range(2, 1000):
        yield f"{base}-{number}"


def allocate_slug(name, *, team=None):
    """Return a free slug for the name; a team may keep one it already used."""
    for candidate in _slug_candidates(name):
        if team is not None and candidate == team.slug:
            return candidate
        in_use = Team.objects.filter(slug=candidate).exists()
        old = TeamSlug.objects.filter(slug=candidate).exclude(team=team).exists()
        if not in_use and not old:
            return candidate
    raise Conflict("No free address is left for this name; choose another name.")


def _check_identity(team, game):
    if team_name_taken(game, team.name_key, exclude=team.pk):
        raise Conflict(
            MSG_NAME_TAKEN.format(game=game.name, name=team.name), code="name_taken"
        )
    if team.tag_key and team_tag_taken(game, team.tag_key, exclude=team.pk):
        raise Conflict(
            MSG_TAG_TAKEN.format(game=game.name, tag=team.tag), code="tag_taken"
        )


def _save_identity(team, game):
    """Save, translating a lost race on the unique keys into a Conflict."""
    _check_identity(team, game)
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError as error:
        # Another request took the name or tag between the check and the save.
        text = str(error)
        if "tag_key" in text or "teams_team_tag_key_per_game" in text:
            raise Conflict(
                MSG_TAG_TAKEN.format(game=game.name, tag=team.tag), code="tag_taken"
            ) from error
        raise Conflict(
            MSG_NAME_TAKEN.format(game=game.name, name=team.name), code="name_taken"
        ) from error


def _set_name(team, name):
    team.name = normalize_name(name)
    validate_name(team.name)
    team.name_key = name_key(team.name)
    team.name_sort = name_sort_key(team.name)


def _set_tag(team, tag):
    team.tag = (tag or "").strip()
    validate_tag(team.tag)
    team.tag_key = name_key(team.tag) if team.tag else ""


def team_create(*, user, game, name, **fields):
    """Create a team with the user as captain.

    The creator must have a verified email and no active team in the game;
    the unique index on active memberships settles a race between two
    creates by one player.
    """
    from accounts.selectors import user_has_verified_email

    if not user_has_verified_email(user):
        raise PermissionDenied(MSG_UNVERIFIED, code="unverified")
    profile = getattr(user, "profile", None)
    if profile is None:
        raise DomainError(MSG_NO_PROFILE, code="no_profile")
    team = Team(game=game, created_by=user)
    _set_name(team, name)
    _set_tag(team, fields.pop("tag", ""))
    for field, value in fields.items():
        if field not in TEAM_FIELDS:
            raise TypeError(f"team_create() got an unexpected field {field!r}")
        setattr(team, field, value)
    with transaction.atomic():
        existing = (
            Membership.objects.filter(
                profile=profile, game=game, status=Membership.Status.ACTIVE
            )
            .select_related("team")
            .first()
        )
        if existing:
            raise Conflict(
                MSG_ALREADY_IN_GAME.format(game=game.name, team=existing.team.name),
                code="already_in_game",
            )
        team.slug = allocate_slug(team.name)
        _save_identity(team, game)
        try:
            with transaction.atomic():
                Membership.objects.create(
                    team=team,
                    profile=profile,
                    game=game,
                    role=Membership.Role.CAPTAIN,
                    joined_at=timezone.now(),
                )
        except IntegrityError as error:
            raise Conflict(
                MSG_ALREADY_IN_GAME.format(game=game.name, team="another team"),
                code="already_in_game",
            ) from error
    logger.info("team created", extra={"team_id": team.pk, "user_id": user.pk})
    return team


def team_update(team, **fields):
    """Edit a team. A new name keeps the old slug as a redirect."""
    if not team.is_active:
        raise Conflict(MSG_DISBANDED, code="disbanded")
    old_slug = team.slug
    renamed = "name" in fields and normalize_name(fields["name"]) != team.name
    if "name" in fields:
        _set_name(team, fields.pop("name"))
    if "tag" in fields:
        _set_tag(team, fields.pop("tag"))
    for field, value in fields.items():
        if field not in TEAM_FIELDS:
            raise TypeError(f"team_update() got an unexpected field {field!r}")
        setattr(team, field, value)
    with transaction.atomic():
        if renamed:
            team.name_changed_at = timezone.now()
            team.slug = allocate_slug(team.name, team=team)
        _save_identity(team, team.game)
        if team.slug != old_slug:
            TeamSlug.objects.get_or_create(slug=old_slug, defaults={"team": team})
            TeamSlug.objects.filter(slug=team.slug, team=team).delete()
    if renamed:
        logger.info("team renamed", extra={"team_id": team.pk, "slug": team.slug})
    return team


def team_disband(team, *, actor=None):
    """Soft-delete a team: end every membership and keep the history.

    The name and tag are freed for new teams because the unique indexes
    cover active teams only.
    """
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        if not team.is_active:
            return team
        now = timezone.now()
        ending = list(
            team.memberships.filter(status=Membership.Status.ACTIVE).select_related(
                "profile"
            )
        )
        team.memberships.filter(pk__in=[m.pk for m in ending]).update(
            status=Membership.Status.ENDED, ended_at=now
        )
        team.disbanded_at = now
        team.is_recruiting = False
        team.save(update_fields=["disbanded_at", "is_recruiting", "updated_at"])
        team_disbanded.send(
            sender=Team, team=team, actor=actor, memberships=ending, at=now
        )
    logger.info(
        "team disbanded",
        extra={"team_id": team.pk, "actor_id": getattr(actor, "pk", None)},
    )
    return team
