from django.contrib import admin

from .models import Invite, InviteLink, InviteLinkUse, JoinRequest


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ("team", "profile", "email", "role", "status", "expires_at")
    list_filter = ("status", "role")
    search_fields = ("team__name", "profile__handle", "email")
    raw_id_fields = ("team", "profile", "invited_by")


class InviteLinkUseInline(admin.TabularInline):
    model = InviteLinkUse
    extra = 0
    raw_id_fields = ("profile", "membership")


@admin.register(InviteLink)
class InviteLinkAdmin(admin.ModelAdmin):
    list_display = ("team", "role", "status", "use_count", "max_uses", "expires_at")
    list_filter = ("status", "role")
    search_fields = ("team__name",)
    raw_id_fields = ("team", "created_by")
    readonly_fields = ("token_hash",)
    inlines = [InviteLinkUseInline]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ("team", "profile", "role", "status", "created_at")
    list_filter = ("status", "role")
    search_fields = ("team__name", "profile__handle")
    raw_id_fields = ("team", "profile", "decided_by")
