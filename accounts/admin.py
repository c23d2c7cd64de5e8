from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.db.models import Q

from core.errors import DomainError

from .models import GameAccount, Profile, User
from .services import profile_claim, profile_claim_check

MSG_ACCOUNT_NOT_FOUND = "No account has the handle or email “{value}”."


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["username", "email"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    # NOTE: editing the email here does not update allauth's EmailAddress rows,
    # so the new address is neither verified nor listed on /accounts/email/.
    add_form = UserCreationAdminForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username", "email", "usable_password", "password1", "password2",
                ),
            },
        ),
    )  # fmt: skip
    list_display = ["username", "email", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser", "date_joined"]
    search_fields = ["username", "email"]


class GameAccountInline(admin.TabularInline):
    model = GameAccount
    extra = 0


class ProfileAdminForm(forms.ModelForm):
    # A text field, not a drop-down of every account, so the page stays small.
    hand_to = forms.CharField(
        required=False,
        label="Hand to account",
        help_text=(
            "Handle or email of the account that takes over this unclaimed "
            "profile. The account's own profile is replaced by this one, and "
            "the profile's handle becomes the account's handle."
        ),
    )

    class Meta:
        model = Profile
        fields = ["handle", "display_name", "avatar", "country", "bio"]

    def clean_hand_to(self):
        value = self.cleaned_data["hand_to"].strip()
        if not value:
            return None
        user = User.objects.filter(
            Q(username__iexact=value) | Q(email__iexact=value)
        ).first()
        if user is None:
            raise forms.ValidationError(MSG_ACCOUNT_NOT_FOUND.format(value=value))
        try:
            profile_claim_check(self.instance, user)
        except DomainError as error:
            raise forms.ValidationError(error.message) from error
        return user


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    form = ProfileAdminForm
    list_display = ["handle", "display_name", "user", "country", "created_at"]
    list_filter = [("user", admin.EmptyFieldListFilter), "country"]
    search_fields = ["handle", "display_name", "user__email", "user__username"]
    list_select_related = ["user"]
    readonly_fields = ["user", "created_at", "updated_at"]
    inlines = [GameAccountInline]

    def get_fields(self, request, obj=None):
        fields = ["handle", "display_name", "avatar", "country", "bio", "user"]
        if obj is not None and obj.user_id is None:
            fields.append("hand_to")
        return fields + ["created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.user_id is not None:
            # A claimed profile's handle is its account's username: rename the
            # account instead.
            readonly.append("handle")
        return readonly

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        target = form.cleaned_data.get("hand_to")
        if target is None:
            return
        try:
            profile_claim(obj, target, actor=request.user)
        except DomainError as error:
            # Another staff member handed the profile over since the form
            # was checked.
            self.message_user(request, error.message, level=messages.ERROR)
        else:
            obj.refresh_from_db()
            self.message_user(request, f"The profile now belongs to {target.username}.")


@admin.register(GameAccount)
class GameAccountAdmin(admin.ModelAdmin):
    list_display = ["in_game_name", "account_id", "game", "profile"]
    list_filter = ["game"]
    search_fields = ["in_game_name", "account_id", "profile__handle"]
    list_select_related = ["game", "profile"]
    raw_id_fields = ["profile"]
