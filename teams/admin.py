from django import forms
from django.contrib import admin, messages
from django.db import models

from core.errors import DomainError

from .models import Membership, Team, TeamSlug
from .naming import name_key, name_sort_key
from .selectors import team_name_taken, team_tag_taken
from .services import (
    MSG_NAME_TAKEN,
    MSG_TAG_TAKEN,
    allocate_slug,
    normalize_name,
    team_disband,
    validate_name,
    validate_tag,
)


def _admin_formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class TeamAdminForm(forms.ModelForm):
    """Checks names and tags like the services do, so staff edits keep keys."""

    class Meta:
        model = Team
        fields = [
            "game", "name", "tag", "region", "country", "description", "logo",
            "banner", "website_url", "twitter_url", "discord_url", "youtube_url",
            "twitch_url", "privacy", "is_recruiting", "recruiting_message",
            "is_verified", "is_featured", "created_by",
        ]  # fmt: skip
        formfield_callback = _admin_formfield

    def clean(self):
        cleaned = super().clean()
        game = cleaned.get("game")
        name = normalize_name(cleaned.get("name", ""))
        tag = normalize_name(cleaned.get("tag", ""))
        try:
            validate_name(name)
        except DomainError as error:
            self.add_error("name", error.message)
        try:
            validate_tag(tag)
        except DomainError as error:
            self.add_error("tag", error.message)
        if game is None or self.errors:
            return cleaned
        exclude = self.instance.pk
        if team_name_taken(game, name_key(name), exclude=exclude):
            self.add_error("name", MSG_NAME_TAKEN.format(game=game.name, name=name))
        if tag and team_tag_taken(game, name_key(tag), exclude=exclude):
            self.add_error("tag", MSG_TAG_TAKEN.format(game=game.name, tag=tag))
        cleaned["name"], cleaned["tag"] = name, tag
        return cleaned


class MembershipInline(admin.TabularInline):
    """The roster, read only: changes go through the membership admin."""

    model = Membership
    extra = 0
    fields = ["profile", "role", "status", "position", "joined_at", "ended_at"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("profile")


MSG_ALREADY_IN_GAME_ADMIN = "{profile} already has an active membership in {game}."
MSG_SECOND_CAPTAIN = "{team} already has an active captain."


class MembershipAdminForm(forms.ModelForm):
    """Checks the one-team-per-game and one-captain rules before saving."""

    class Meta:
        model = Membership
        fields = ["team", "profile", "role", "status", "position", "joined_at",
                  "ended_at"]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        team, profile = cleaned.get("team"), cleaned.get("profile")
        if team is None or profile is None:
            return cleaned
        if cleaned.get("status") != Membership.Status.ACTIVE:
            return cleaned
        others = Membership.objects.filter(status=Membership.Status.ACTIVE).exclude(
            pk=self.instance.pk
        )
        if others.filter(profile=profile, game_id=team.game_id).exists():
            self.add_error(
                "profile",
                MSG_ALREADY_IN_GAME_ADMIN.format(profile=profile, game=team.game),
            )
        captains = others.filter(team=team, role=Membership.Role.CAPTAIN)
        if cleaned.get("role") == Membership.Role.CAPTAIN and captains.exists():
            self.add_error("role", MSG_SECOND_CAPTAIN.format(team=team))
        return cleaned


class TeamSlugInline(admin.TabularInline):
    model = TeamSlug
    extra = 0
    fields = ["slug", "created_at"]
    readonly_fields = ["slug", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ActiveFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("disbanded", "Disbanded")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(disbanded_at__isnull=True)
        if self.value() == "disbanded":
            return queryset.filter(disbanded_at__isnull=False)
        return queryset


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    form = TeamAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "name", "tag", "game", "region", "country", "total_points", "privacy",
        "is_recruiting", "is_verified", "is_featured", "created_at", "disbanded_at",
    ]  # fmt: skip
    list_filter = [
        ActiveFilter, "game", "region", "privacy", "is_recruiting", "is_verified",
        "is_featured",
    ]  # fmt: skip
    list_select_related = ["game", "region"]
    search_fields = ["name", "tag", "slug", "name_key"]
    raw_id_fields = ["created_by"]
    readonly_fields = [
        "slug", "total_points", "created_at", "updated_at", "name_changed_at",
        "disbanded_at",
    ]  # fmt: skip
    date_hierarchy = "created_at"
    inlines = [MembershipInline, TeamSlugInline]
    actions = ["disband_selected", "mark_verified", "unmark_verified"]

    def get_readonly_fields(self, request, obj=None):
        # Memberships copy the team's game for the one-team-per-game index,
        # so a team never changes game.
        if obj is not None:
            return [*self.readonly_fields, "game"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        obj.name_key = name_key(obj.name)
        obj.name_sort = name_sort_key(obj.name)
        obj.tag_key = name_key(obj.tag) if obj.tag else ""
        if not obj.slug:
            obj.slug = allocate_slug(obj.name)
        super().save_model(request, obj, form, change)

    @admin.action(description="Disband selected teams")
    def disband_selected(self, request, queryset):
        count = 0
        for team in queryset.filter(disbanded_at__isnull=True):
            team_disband(team, actor=request.user)
            count += 1
        self.message_user(request, f"Disbanded {count} team(s).", messages.SUCCESS)

    @admin.action(description="Give the verified badge")
    def mark_verified(self, request, queryset):
        updated = queryset.update(is_verified=True)
        self.message_user(request, f"Verified {updated} team(s).", messages.SUCCESS)

    @admin.action(description="Remove the verified badge")
    def unmark_verified(self, request, queryset):
        updated = queryset.update(is_verified=False)
        self.message_user(request, f"Unverified {updated} team(s).", messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = [
        "profile",
        "team",
        "game",
        "role",
        "status",
        "joined_at",
        "ended_at",
    ]
    list_filter = ["status", "role", "game"]
    list_select_related = ["profile", "team", "game"]
    search_fields = ["profile__handle", "profile__display_name", "team__name"]
    raw_id_fields = ["team", "profile"]
    readonly_fields = ["game"]
    date_hierarchy = "joined_at"

    def save_model(self, request, obj, form, change):
        # The game is copied from the team for the one-team-per-game index.
        obj.game_id = obj.team.game_id
        super().save_model(request, obj, form, change)


@admin.register(TeamSlug)
class TeamSlugAdmin(admin.ModelAdmin):
    list_display = ["slug", "team", "created_at"]
    list_select_related = ["team"]
    search_fields = ["slug", "team__name"]
    raw_id_fields = ["team"]
