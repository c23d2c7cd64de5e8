"""Team forms. They take only what a person chooses: the server decides ids,
the owner and the slug."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django_countries import countries

from core.images import clean_image_upload
from games.models import Game, Region

from .models import Team, http_url
from .services import MSG_TAG_LENGTH, NAME_MAX_LENGTH

IMAGE_ACCEPT = "image/jpeg,image/png,image/gif,image/webp"
IMAGE_HELP = "JPEG, PNG, GIF or WebP, at most 5 MB. Metadata is removed."
URL_FIELDS = ("website_url", "twitter_url", "discord_url", "youtube_url", "twitch_url")


def _model_max_length(name):
    return Team._meta.get_field(name).max_length


def _url_field(label):
    return forms.URLField(
        label=label,
        required=False,
        assume_scheme="https",
        max_length=_model_max_length("website_url"),
        validators=[http_url],
        help_text="An http:// or https:// address.",
    )


def _image_field(label, help_text):
    return forms.FileField(
        label=label,
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=f"{help_text} {IMAGE_HELP}",
    )


class TeamForm(forms.Form):
    """The fields a captain or co-captain edits."""

    name = forms.CharField(
        max_length=NAME_MAX_LENGTH,
        help_text="Unique in the game. Letters of any alphabet, digits and "
        "brackets are fine.",
    )
    tag = forms.CharField(
        min_length=2,
        max_length=5,
        required=False,
        error_messages={"min_length": MSG_TAG_LENGTH, "max_length": MSG_TAG_LENGTH},
        help_text="Optional short tag, 2 to 5 characters, unique in the game.",
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="—",
    )
    country = forms.ChoiceField(required=False)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=_model_max_length("description"),
        required=False,
        help_text="Markdown. Links and formatting are kept; HTML is not.",
    )
    logo = _image_field("Logo", "Square images look best.")
    banner = _image_field("Banner", "Wide images (about 4:1) look best.")
    website_url = _url_field("Website")
    twitter_url = _url_field("X / Twitter")
    discord_url = _url_field("Discord invite")
    youtube_url = _url_field("YouTube")
    twitch_url = _url_field("Twitch")
    privacy = forms.ChoiceField(
        choices=Team.Privacy.choices,
        initial=Team.Privacy.PUBLIC,
        required=False,
        widget=forms.RadioSelect,
        help_text="A private team shows only its name, tag and logo to non-members.",
    )
    is_recruiting = forms.BooleanField(label="Recruiting", required=False)
    recruiting_message = forms.CharField(
        max_length=_model_max_length("recruiting_message"),
        required=False,
        help_text="Who you are looking for, shown on the hub and team page.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *countries]

    def _clean_image(self, field):
        upload = self.cleaned_data.get(field)
        if upload is False:
            return False  # the "clear" box was ticked
        if not isinstance(upload, UploadedFile):
            return None  # nothing uploaded: the current image stays
        return clean_image_upload(upload)

    def clean_privacy(self):
        # A request without the field keeps the current setting, so a client
        # that leaves it out never makes a private team public.
        return (
            self.cleaned_data.get("privacy")
            or self.initial.get("privacy")
            or Team.Privacy.PUBLIC
        )

    def clean_logo(self):
        return self._clean_image("logo")

    def clean_banner(self):
        return self._clean_image("banner")

    def team_fields(self):
        """Return the cleaned values as keyword arguments for the services."""
        return dict(self.cleaned_data)


class TeamCreateForm(TeamForm):
    game = forms.ModelChoiceField(
        queryset=Game.objects.filter(is_active=True),
        to_field_name="slug",
        empty_label="Choose a game",
        help_text="You can be in one team per game.",
    )
    field_order = ["game", "name", "tag"]

    def team_fields(self):
        fields = dict(self.cleaned_data)
        fields.pop("game")
        for image in ("logo", "banner"):
            if not fields[image]:
                fields.pop(image)
        return fields


def team_form_initial(team):
    """Return a TeamForm's initial values for an existing team."""
    initial = {
        name: getattr(team, name)
        for name in (
            "name", "tag", "description", "privacy", "is_recruiting",
            "recruiting_message", *URL_FIELDS,
        )
    }  # fmt: skip
    initial["region"] = team.region.slug if team.region else ""
    initial["country"] = team.country.code if team.country else ""
    initial["logo"] = team.logo
    initial["banner"] = team.banner
    return initial


class TeamSearchForm(forms.Form):
    q = forms.CharField(label="Name or tag", max_length=64, required=False)
    game = forms.ModelChoiceField(
        queryset=Game.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        empty_label="All games",
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All regions",
    )
    recruiting = forms.BooleanField(label="Recruiting only", required=False)
    sort = forms.ChoiceField(
        choices=[("points", "Points"), ("newest", "Newest"), ("name", "Name")],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DisbandForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that the roster ends and the team cannot be restored.",
        error_messages={"required": "Tick the box to confirm the disbanding."},
    )
