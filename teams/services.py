"""Team writes: create, edit, rename, disband."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, DomainError, PermissionDenied

from . import permissions
from .models import RESERVED_SLUGS, Membership, Team, TeamSlug
from .naming import clean_name, name_key, name_sort_key, slug_base
from .permissions import MSG_DENIED
from .selectors import MSG_DISBANDED, team_name_taken, team_tag_taken
from .signals import team_created, team_disbanded

logger = logging.getLogger(__name__)

MSG_NAME_TAKEN = "A {game} team named “{name}” or one that looks like it exists."
MSG_TAG_TAKEN = "A {game} team already uses the tag “{tag}” or one like it."
MSG_NAME_EMPTY = "Enter a team name with at least one letter or digit."
MSG_NAME_LENGTH = "Team names are at most {limit} characters long."
MSG_TAG_LENGTH = "Tags are 2 to 5 characters long."
MSG_TAG_CHARACTERS = "Tags contain letters, digits and symbols, but no spaces."
MSG_UNVERIFIED = MSG_DENIED["create_team"]
MSG_ALREADY_IN_GAME = "You are already in a {game} team: {team}. Leave it first."
MSG_NO_PROFILE = "Your account has no player profile."
MSG_RENAME_COOLDOWN = (
    "This team was renamed on {changed:%d %b %Y}. "
    "The next rename is possible from {next:%d %b %Y}."
)
MSG_NO_SLUG = "No free address is left for this name. Choose another name."
MSG_INVALID_FIELD = "{field}: {message}"

TEAM_FIELDS = (
    "name", "tag", "region", "country", "description", "logo", "banner",
    "website_url", "twitter_url", "discord_url", "youtube_url", "twitch_url",
    "privacy", "is_recruiting", "recruiting_message",
)  # fmt: skip
IMAGE_FIELDS = ("logo", "banner")
# Fields whose values the service checks with the model's validators.
VALIDATED_FIELDS = (
    "country", "description", "website_url", "twitter_url", "discord_url",
    "youtube_url", "twitch_url", "privacy", "recruiting_message",
)  # fmt: skip
NAME_MAX_LENGTH = Team._meta.get_field("name").max_length
SLUG_ATTEMPTS = 5


def rename_cooldown():
    return timedelta(days=getattr(settings, "TEAM_RENAME_COOLDOWN_DAYS", 30))


def normalize_name(name):
    return clean_name(name)


def validate_name(name):
    if not any(char.isalnum() for char in name):
        raise DomainError(MSG_NAME_EMPTY, code="name_empty")
    if len(name) > NAME_MAX_LENGTH:
        raise DomainError(
            MSG_NAME_LENGTH.format(limit=NAME_MAX_LENGTH), code="name_length"
        )


def validate_tag(tag):
    if not tag:
        return
    if not 2 <= len(tag) <= 5:
        raise DomainError(MSG_TAG_LENGTH, code="tag_length")
    if any(char.isspace() for char in tag) or not any(c.isalnum() for c in tag):
        raise DomainError(MSG_TAG_CHARACTERS, code="tag_characters")


def _slug_candidates(name):
    base = slug_base(name) or "team"
    if base in RESERVED_SLUGS or base.isdigit():
        base = f"{base}-team"
    yield base
    for number in range(2, 1000):
        yield f"{base}-{number}"


def allocate_slug(name, *, team=None, skip=()):
    """Return a free slug for the name; a team may keep one it already used.

    ``skip`` lists slugs known to be taken although the lookups cannot see
    them yet, because another transaction inserted them and has not committed.
    """
    for candidate in _slug_candidates(name):
        if candidate in skip:
            continue
        if team is not None and candidate == team.slug:
            return candidate
        current = Team.objects.filter(slug=candidate)
        old = TeamSlug.objects.filter(slug=candidate)
        if team is not None:
            current = current.exclude(pk=team.pk)
            old = old.exclude(team=team)
        if not current.exists() and not old.exists():
            return candidate
    raise Conflict(MSG_NO_SLUG, code="no_slug")


def _name_conflict(team, game):
    return Conflict(
        MSG_NAME_TAKEN.format(game=game.name, name=team.name), code="name_taken"
    )


def _tag_conflict(team, game):
    return Conflict(
        MSG_TAG_TAKEN.format(game=game.name, tag=team.tag), code="tag_taken"
    )


def _check_identity(team, game):
    if team_name_taken(game, team.name_key, exclude=team.pk):
        raise _name_conflict(team, game)
    if team.tag_key and team_tag_taken(game, team.tag_key, exclude=team.pk):
        raise _tag_conflict(team, game)


def _violated_key(error):
    """Name the unique key ("slug", "tag" or "name") an IntegrityError broke.

    PostgreSQL reports the constraint name; SQLite lists the columns.
    """
    cause = error.__cause__
    constraint = getattr(getattr(cause, "diag", None), "constraint_name", None) or ""
    text = f"{constraint} {error}"
    if "tag_key" in text:
        return "tag"
    if "name_key" in text:
        return "name"
    if "slug" in text:
        return "slug"
    return "name"


def _save_identity(team, game, *, slug_owner=None):
    """Save the team, translating a lost race on a unique key into a Conflict.

    The checks before the save give a clear message in the common case. When
    two requests race, the unique indexes decide. A lost race on the slug
    alone (different names with the same readable form) takes the next slug.
    """
    _check_identity(team, game)
    clashed = set()
    for _attempt in range(SLUG_ATTEMPTS):
        try:
            with transaction.atomic():
                team.save()
            return
        except IntegrityError as error:
            key = _violated_key(error)
            if key == "tag":
                raise _tag_conflict(team, game) from error
            if key == "name":
                raise _name_conflict(team, game) from error
            # Another request took the slug between allocate_slug and save.
            _check_identity(team, game)
            clashed.add(team.slug)
            team.slug = allocate_slug(team.name, team=slug_owner, skip=clashed)
    raise Conflict(MSG_NO_SLUG, code="no_slug")


def _set_name(team, name):
    team.name = normalize_name(name)
    validate_name(team.name)
    team.name_key = name_key(team.name)
    team.name_sort = name_sort_key(team.name)


def _set_tag(team, tag):
    team.tag = clean_name(tag)
    validate_tag(team.tag)
    team.tag_key = name_key(team.tag) if team.tag else ""


def _set_image(team, field, value):
    """Apply a cleaned upload; False clears the image and None keeps it."""
    if value is None:
        return
    old = getattr(team, field)
    old_name = old.name if old else ""
    if value is False:
        setattr(team, field, "")
    else:
        setattr(team, field, value)
    if old_name:
        storage = old.storage
        # Delete the replaced file only once the new state is committed.
        transaction.on_commit(lambda: storage.delete(old_name))


def _set_fields(team, fields, *, function):
    for field, value in fields.items():
        if field not in TEAM_FIELDS:
            raise TypeError(f"{function}() got an unexpected field {field!r}")
        if field in IMAGE_FIELDS:
            _set_image(team, field, value)
        else:
            setattr(team, field, value)
    exclude = [f.name for f in Team._meta.fields if f.name not in VALIDATED_FIELDS]
    try:
        team.clean_fields(exclude=exclude)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        label = Team._meta.get_field(field).verbose_name.capitalize()
        raise DomainError(
            MSG_INVALID_FIELD.format(field=label, message=messages[0]),
            code=f"invalid_{field}",
        ) from error


def team_create(*, user, game, name, **fields):
    """Create a team with the user as captain.

    The creator must have a verified email and no active team in the game.
    When one player sends two creates at once, the unique index on active
    memberships lets only one of them commit.
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
    _set_fields(team, fields, function="team_create")
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
                captain = Membership.objects.create(
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
        team_created.send(sender=Team, team=team, actor=user, membership=captain)
    logger.info("team created", extra={"team_id": team.pk, "user_id": user.pk})
    return team


def _check_roster_unlocked(team):
    # Imported here because the roster app builds on this one.
    from roster.selectors import roster_lock_active

    lock = roster_lock_active(team)
    if lock is not None:
        from roster.services import lock_message

        raise Conflict(lock_message(lock), code="roster_locked")


def _check_rename_allowed(team, actor):
    if team.name_changed_at is None or (actor is not None and actor.is_staff):
        return
    next_allowed = team.name_changed_at + rename_cooldown()
    if timezone.now() < next_allowed:
        raise Conflict(
            MSG_RENAME_COOLDOWN.format(changed=team.name_changed_at, next=next_allowed),
            code="rename_cooldown",
        )


def team_update(team, *, actor=None, cooldown=True, renamed_at=None, **fields):
    """Edit a team; the given instance and the return value show the result.

    A new name keeps the old slug as a redirect. The actor must be allowed
    to edit the team (staff always are); callers that act for the system,
    such as imports, pass no actor. Renames are limited to one per cooldown
    period (TEAM_RENAME_COOLDOWN_DAYS, default 30) except for staff and for
    callers that pass cooldown=False (imports follow published names).
    renamed_at dates the rename and defaults to now. Images take a cleaned
    upload, False to clear or None to keep.
    """
    with transaction.atomic():
        # Lock and re-read the row, so the edit applies to the committed
        # state: a ledger addition or a disband that committed after the
        # caller loaded the team is neither overwritten nor missed.
        locked = _lock_active_team(team)
        if actor is not None and not actor.is_staff:
            permissions.require("edit_team", actor, locked)
        old_slug, old_name = locked.slug, locked.name
        renamed = "name" in fields and normalize_name(fields["name"]) != locked.name
        if renamed and cooldown:
            _check_rename_allowed(locked, actor)
        if "name" in fields:
            _set_name(locked, fields.pop("name"))
        if "tag" in fields:
            _set_tag(locked, fields.pop("tag"))
        _set_fields(locked, fields, function="team_update")
        if renamed:
            locked.name_changed_at = renamed_at or timezone.now()
            locked.slug = allocate_slug(locked.name, team=locked)
        _save_identity(locked, locked.game, slug_owner=locked)
        if locked.slug != old_slug:
            TeamSlug.objects.get_or_create(slug=old_slug, defaults={"team": locked})
            TeamSlug.objects.filter(slug=locked.slug, team=locked).delete()
    for field in Team._meta.concrete_fields:
        setattr(team, field.attname, getattr(locked, field.attname))
    if renamed:
        logger.info(
            "team renamed",
            extra={
                "team_id": locked.pk,
                "old_name": old_name,
                "new_name": locked.name,
                "slug": locked.slug,
                "actor_id": getattr(actor, "pk", None),
            },
        )
    return team


def _lock_active_team(team):
    locked = (
        Team.objects.select_for_update(no_key=True, of=("self",))
        .select_related("game")
        .filter(pk=team.pk)
        .first()
    )
    if locked is None or not locked.is_active:
        raise Conflict(MSG_DISBANDED, code="disbanded")
    return locked


def team_disband(team, *, actor=None, check_permission=True):
    """Soft-delete a team: end every membership and keep the history.

    The name and tag are freed for new teams because the unique indexes
    cover active teams only. Under the team row lock the actor must be the
    captain and the roster must not be locked; staff may do both. Roster
    services that already checked their own rules under the same lock pass
    check_permission=False.
    """
    original = team
    with transaction.atomic():
        team = Team.objects.select_for_update(no_key=True).get(pk=team.pk)
        if not team.is_active:
            return team
        if check_permission and not (actor is not None and actor.is_staff):
            if actor is not None:
                permissions.require("disband_team", actor, team)
            _check_roster_unlocked(team)
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
        # The caller's instance shows the new state too.
        original.disbanded_at, original.is_recruiting = now, False
        team_disbanded.send(
            sender=Team, team=team, actor=actor, memberships=ending, at=now
        )
    logger.info(
        "team disbanded",
        extra={"team_id": team.pk, "actor_id": getattr(actor, "pk", None)},
    )
    return team
