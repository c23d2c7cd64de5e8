import logging

from django.db import IntegrityError, transaction

from core.errors import Conflict

from .models import GameAccount, Profile

logger = logging.getLogger(__name__)

MSG_ACCOUNT_TAKEN = (
    "This {label} is already linked to another player's {game} profile. "
    "Check it, or contact staff if it is yours."
)
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


def profile_sync_handle(user):
    """Copy a renamed account's username to its profile handle."""
    Profile.objects.filter(user=user).exclude(handle=user.username).update(
        handle=user.username
    )


def profile_update(profile, *, display_name, country, bio, avatar=None):
    """Save the editable profile fields.

    avatar is a cleaned upload, False to remove the avatar, or None to keep it.
    """
    old_avatar = profile.avatar.name
    profile.display_name = display_name
    profile.country = country
    profile.bio = bio
    if avatar is False:
        profile.avatar = ""
    elif avatar is not None:
        profile.avatar = avatar
    profile.full_clean(exclude=["avatar"])
    profile.save()
    if old_avatar and old_avatar != profile.avatar.name:
        # Delete the replaced file only once the new name is committed.
        storage = profile.avatar.storage
        transaction.on_commit(lambda: storage.delete(old_avatar))
    return profile


def game_accounts_save(profile, entries):
    """Set the profile's game accounts.

    entries maps each game to (account_id, in_game_name); a blank account id
    removes the profile's account for that game. Raises Conflict when another
    profile already has the account in that game.
    """
    with transaction.atomic():
        for game, (account_id, in_game_name) in entries.items():
            if not account_id:
                GameAccount.objects.filter(profile=profile, game=game).delete()
                continue
            taken = GameAccount.objects.filter(
                game=game, account_id__iexact=account_id
            ).exclude(profile=profile)
            if taken.exists():
                raise Conflict(
                    MSG_ACCOUNT_TAKEN.format(label=game.account_label, game=game.name),
                    code="account_taken",
                )
            try:
                # The savepoint keeps the transaction usable for the Conflict
                # when another profile saved the same account meanwhile.
                with transaction.atomic():
                    GameAccount.objects.update_or_create(
                        profile=profile,
                        game=game,
                        defaults={
                            "account_id": account_id,
                            "in_game_name": in_game_name or account_id,
                        },
                    )
            except IntegrityError as error:
                raise Conflict(
                    MSG_ACCOUNT_TAKEN.format(label=game.account_label, game=game.name),
                    code="account_taken",
                ) from error


def _history_of(profile):
    """Return the names of the related tables with rows for this profile.

    Game accounts are not history: they move over to the claimed profile.
    """
    names = []
    for relation in profile._meta.related_objects:
        if relation.related_model is GameAccount:
            continue
        rows = relation.related_model._base_manager.filter(
            **{relation.field.name: profile}
        )
        if rows.exists():
            names.append(str(relation.related_model._meta.verbose_name_plural))
    return ", ".join(sorted(names))


def _claim_conflict(profile, user, current):
    """Return the Conflict that stops handing profile to user, or None."""
    if profile.user_id is not None:
        return Conflict(MSG_ALREADY_CLAIMED.format(handle=profile.handle))
    if current is not None:
        relation = _history_of(current)
        if relation:
            return Conflict(
                MSG_HAS_HISTORY.format(username=user.username, relation=relation)
            )
    return None


def profile_claim_check(profile, user):
    """Raise Conflict when profile_claim(profile, user) would be rejected."""
    current = Profile.objects.filter(user=user).first()
    conflict = _claim_conflict(profile, user, current)
    if conflict is not None:
        raise conflict


def profile_claim(profile, user, *, actor=None):
    """Hand an unclaimed profile to an account (a staff action).

    The account's own profile is replaced by the claimed one. That is rejected
    when the account's profile already has history (memberships and the like)
    because the two histories cannot be merged safely. Game accounts move over
    for the games the claimed profile has none for. The profile takes the
    account's username as its handle, and keeps its old handle as display name
    when it had none.
    """
    with transaction.atomic():
        # Lock both rows so two staff members cannot hand one profile twice.
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        current = Profile.objects.select_for_update().filter(user=user).first()
        conflict = _claim_conflict(profile, user, current)
        if conflict is not None:
            raise conflict
        if not profile.display_name:
            profile.display_name = profile.handle
        if current is not None:
            claimed_games = set(profile.game_accounts.values_list("game_id", flat=True))
            current.game_accounts.exclude(game_id__in=claimed_games).update(
                profile=profile
            )
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
