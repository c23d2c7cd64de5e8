from allauth.account.models import EmailAddress
from django.db.models import Prefetch

from .models import GameAccount, Profile


def profile_get_by_handle(handle):
    """Return the profile a /players/<handle>/ URL names, or None.

    A claimed profile wins. Unclaimed profiles can share a handle (imported
    players), so among those the oldest is returned.
    """
    accounts = Prefetch(
        "game_accounts", queryset=GameAccount.objects.select_related("game")
    )
    profiles = Profile.objects.select_related("user").prefetch_related(accounts)
    return (
        profiles.filter(handle__iexact=handle, user__isnull=False).first()
        or profiles.filter(handle__iexact=handle, user__isnull=True)
        .order_by("pk")
        .first()
    )


def user_has_verified_email(user):
    if not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()
