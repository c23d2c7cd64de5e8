from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from core.images import clean_image_upload

from .models import Profile
from .validators import HANDLE_MAX_LENGTH

IMAGE_ACCEPT = "image/jpeg,image/png,image/gif,image/webp"


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, with the username shown as the player's handle."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        handle = self.fields["username"]
        handle.label = "Handle"
        handle.widget.attrs["placeholder"] = "Handle"
        handle.help_text = (
            "Your public name, also the address of your player page. "
            f"At most {HANDLE_MAX_LENGTH} letters, digits, dots, hyphens and "
            "underscores."
        )


class LoginForm(AllauthLoginForm):
    """allauth's login form; the login field takes a handle or an email."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Handle or email"
        login.widget.attrs["placeholder"] = "Handle or email"


class ProfileForm(forms.Form):
    display_name = forms.CharField(max_length=64, required=False)
    country = LazyTypedChoiceField(
        choices=[("", "—")] + list(countries), required=False
    )
    bio = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=Profile._meta.get_field("bio").max_length,
        required=False,
        help_text="Markdown. Links and formatting are kept; HTML is not.",
    )
    avatar = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text="JPEG, PNG, GIF or WebP, at most 5 MB.",
    )

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if upload is False:
            return False  # the "clear" box was ticked
        if not isinstance(upload, UploadedFile):
            return None  # no new file: FileField returns the current one or None
        return clean_image_upload(upload)


class GameAccountsForm(forms.Form):
    """One pair of fields (account id, in-game name) per active game."""

    def __init__(self, *args, games, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.games = list(games)
        by_game = {account.game_id: account for account in accounts}
        for game in self.games:
            account = by_game.get(game.pk)
            self.fields[f"account_{game.slug}"] = forms.CharField(
                label=f"{game.name} — {game.account_label}",
                max_length=64,
                required=False,
                initial=account.account_id if account else "",
            )
            self.fields[f"name_{game.slug}"] = forms.CharField(
                label=f"{game.name} — in-game name",
                max_length=64,
                required=False,
                initial=account.in_game_name if account else "",
            )

    def clean(self):
        cleaned = super().clean()
        for game in self.games:
            account_id = cleaned.get(f"account_{game.slug}", "").strip()
            name = cleaned.get(f"name_{game.slug}", "").strip()
            if name and not account_id:
                self.add_error(
                    f"account_{game.slug}",
                    f"Enter your {game.account_label} to go with the in-game name.",
                )
        return cleaned

    def entries(self):
        return {
            game: (
                self.cleaned_data[f"account_{game.slug}"].strip(),
                self.cleaned_data[f"name_{game.slug}"].strip(),
            )
            for game in self.games
        }
