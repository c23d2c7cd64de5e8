from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site

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

    def send_mail(self, template_prefix, email, context):
        # Without django.contrib.sites the site is named after the request's
        # host, so emails would greet "Hello from 127.0.0.1:8000!".
        site = get_current_site(self.request)
        context = {
            **context,
            "current_site": SimpleNamespace(
                name=settings.SITE_NAME, domain=site.domain
            ),
        }
        super().send_mail(template_prefix, email, context)
