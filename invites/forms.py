"""Forms for the invite pages; they carry only what the user chooses.

The team comes from the URL. Accepting an invite, joining by link and
approving a request take the role from the invite, link or request, never
from a form.
"""

from django import forms

from .models import OFFERED_ROLE_CHOICES, JoinRequest
from .services.links import EXPIRY_CHOICES_HOURS, MAX_USES_LIMIT


def _expiry_label(hours):
    if hours < 24:
        return f"{hours} hour" + ("s" if hours > 1 else "")
    days = hours // 24
    return f"{days} day" + ("s" if days > 1 else "")


class InviteForm(forms.Form):
    target = forms.CharField(
        label="Handle or email address",
        max_length=254,
        help_text="An address with no account gets an email with a sign-up link.",
    )
    role = forms.ChoiceField(choices=OFFERED_ROLE_CHOICES, initial="player")


class InviteLinkForm(forms.Form):
    role = forms.ChoiceField(choices=OFFERED_ROLE_CHOICES, initial="player")

    expires_in_hours = forms.TypedChoiceField(
        label="Expires after",
        choices=[(hours, _expiry_label(hours)) for hours in EXPIRY_CHOICES_HOURS],
        coerce=int,
        initial=7 * 24,
    )
    max_uses = forms.IntegerField(
        label="Maximum uses",
        min_value=1,
        max_value=MAX_USES_LIMIT,
        initial=1,
    )

    def __init__(self, *args, **kwargs):
        # The invite form on the same page has a "role" field too; distinct
        # element ids keep each label tied to its own select.
        kwargs.setdefault("auto_id", "id_link_%s")
        super().__init__(*args, **kwargs)


class JoinRequestForm(forms.Form):
    role = forms.ChoiceField(
        label="Role you want", choices=OFFERED_ROLE_CHOICES, initial="player"
    )
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=JoinRequest.MESSAGE_MAX_LENGTH,
        required=False,
        help_text=(
            f"Plain text, at most {JoinRequest.MESSAGE_MAX_LENGTH} characters: "
            "your experience, availability, how to reach you."
        ),
    )
