from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.errors import DomainError

from .models import GameAccount, Profile, User
from .services import profile_claim


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser", "date_joined"]
    search_fields = ["username", "email"]


class GameAccountInline(admin.TabularInline):
    model = GameAccount
    extra = 0
    autocomplete_fields = []


class ProfileAdminForm(forms.ModelForm):
    hand_to = forms.ModelChoiceField(
        queryset=User.objects.order_by("username"),
        required=False,
        label="Hand to account",
        help_text=(
            "Give this unclaimed profile to an account. The account's own, "
            "empty profile is replaced by this one."
        ),
    )

    class Meta:
        model = Profile
        fields = ["handle", "display_name", "avatar", "country", "bio"]


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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        target = form.cleaned_data.get("hand_to")
        if target is None:
            return
        try:
            profile_claim(obj, target, actor=request.user)
        except DomainError as error:
            self.message_user(request, error.message, level=messages.ERROR)
        else:
            self.message_user(request, f"The profile now belongs to {target.username}.")
