from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import User
from .services import profile_create_for_user


@receiver(post_save, sender=User, dispatch_uid="accounts_profile_for_new_user")
def create_profile_for_new_user(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        profile_create_for_user(instance)
