from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import User
from .services import profile_create_for_user, profile_sync_handle


@receiver(post_save, sender=User, dispatch_uid="accounts_profile_for_new_user")
def sync_profile_with_user(sender, instance, created, raw=False, **kwargs):
    """Create a new account's profile, and keep its handle equal to the username."""
    if raw:
        return
    if created:
        profile_create_for_user(instance)
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is None or "username" in update_fields:
        profile_sync_handle(instance)
