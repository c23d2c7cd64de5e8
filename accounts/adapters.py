from allauth.account.adapter import DefaultAccountAdapter
from django import forms

from .models import Profile

MSG_HANDLE_TAKEN = "The handle “{handle}” is taken. Choose another."


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username, shallow=False):
        username = super().clean_username(username, shallow=shallow)
        if (
            not shallow
            and Profile.objects.filter(
                handle__iexact=username, user__isnull=False
            ).exists()
        ):
            raise forms.ValidationError(MSG_HANDLE_TAKEN.format(handle=username))
        return username
