import logging

from django.db import transaction

from core.errors import Conflict

from .models import GameAccount, Profile

logger = logging.getLogger(__name__)

MSG_ALREADY_CLAIMED = "The profile “{handle}” already belongs to an account."
MSG_HAS_HISTORY = (
    "The account {username} already has its own history ({relation}). "
    "It cannot take over another profile."
)


def profile_create_for_user(user):
    """Create the profile of a new account, its handle being the username."""
    profile, _created = Profile.objects.get_or_create(
        user=user, defaults={"handle": user.username}
    )
    return profile


def profile_update(profile, *, display_name, country, bio, avatar=None):
    """Save the editable profile fields.

    avatar is a cleaned upload, False to remove the avatar, or None to keep it.
    """
    profile.display_name = display_name
    profile.country = country
    profile.bio = bio
    if avatar is False:
        profile.avatar = ""
    elif avatar is not None:
        profile.avatar = avatar
    profile.full_clean(exclude=["avatar"])
    profile.save()
    return profile


def game_accounts_save(profile, entries):
    """Set the profile's game accounts.

    entries maps each game to (account_id, in_game_name); a blank account id
    removes the profile's account for that game.
    """
    with transaction.atomic():
        for game, (account_id, in_game_name) in entries.items():
            if not account_id:
                GameAccount.objects.filter(profile=profile, game=game).delete()
                continue
            GameAccount.objects.update_or_create(
                profile=profile,
                game=game,
                defaults={
                    "account_id": account_id,
                    "in_game_name": in_game_name or account_id,
                },
            )


def _history_of(profile):
    """Name the first related table that holds rows for this profile, if any."""
    for relation in profile._meta.related_objects:
        if relation.related_model is GameAccount or not relation.one_to_many:
            continue
        accessor = relation.get_accessor_name()
        if getattr(profile, accessor).exists():
            return relation.related_model._meta.verbose_name_plural
    return None


def profile_claim(profile, user, *, actor=None):
    """Hand an unclaimed profile to an account (a staff action).

    The account's own profile is replaced by the claimed one. That is refused
    when the account's profile already has history (memberships and the like)
    because the two histories cannot be merged safely. Game accounts move over
    for the games the claimed profile has none for.
    """
    with transaction.atomic():
        # Lock both rows so two staff members cannot hand one profile twice.
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        if profile.user_id is not None:
            raise Conflict(MSG_ALREADY_CLAIMED.format(handle=profile.handle))
        current = Profile.objects.select_for_update().filter(user=user).first()
        if current is not None:
            relation = _history_of(current)
            if relation:
                raise Conflict(
                    MSG_HAS_HISTORY.format(username=user.username, relation=relation)
                )
            claimed_games = set(profile.game_accounts.values_list("game_id", flat=True))
            current.game_accounts.exclude(game_id__in=claimed_games).update(
                profile=profile
            )
            if not profile.display_name:
                profile.display_name = profile.handle
            for field in ("country", "bio", "avatar"):
                if not getattr(profile, field) and getattr(current, field):
                    setattr(profile, field, getattr(current, field))
            current.delete()
        profile.user = user
        profile.handle = user.username
        profile.save()
    logger.info(
        "profile claimed",
        extra={
            "profile_id": profile.pk,
            "user_id": user.pk,
            "actor_id": getattr(actor, "pk", None),
        },
    )
    return profile
