from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from core.admin import ReadOnlyAdmin
from core.errors import DomainError
from teams.permissions import can_lock_roster

from .models import LockableTeam, RosterEvent, RosterLock
from .selectors import lock_until_text
from .services import roster_lock, roster_unlock


class RosterLockForm(forms.Form):
    until = forms.DateTimeField(
        required=False,
        label="Locked until",
        help_text="Date and time in UTC. Leave empty to lock until staff unlock.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    reason = forms.CharField(
        required=False,
        max_length=200,
        help_text="Shown to members, for example the event the roster is locked for.",
    )


class StaffOnlyAdmin(ReadOnlyAdmin):
    """Read access for staff through the team permission policy."""

    def has_module_permission(self, request):
        return can_lock_roster(request.user)

    def has_view_permission(self, request, obj=None):
        return can_lock_roster(request.user)


@admin.register(LockableTeam)
class LockableTeamAdmin(StaffOnlyAdmin):
    list_display = ("name", "game", "lock_status", "lock_reason")
    list_filter = ("game",)
    search_fields = ("name", "tag", "slug")
    list_select_related = ("game", "roster_lock")
    fields = ("name", "tag", "slug", "game", "disbanded_at")
    actions = ("lock_rosters", "unlock_rosters")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(disbanded_at__isnull=True)

    def has_lock_permission(self, request):
        return can_lock_roster(request.user)

    @admin.display(description="Roster")
    def lock_status(self, team):
        lock = getattr(team, "roster_lock", None)
        if lock is None or not lock.is_active():
            return "Open"
        if lock.until is None:
            return "Locked until unlocked"
        return f"Locked until {lock_until_text(lock.until)}"

    @admin.display(description="Reason")
    def lock_reason(self, team):
        lock = getattr(team, "roster_lock", None)
        return lock.reason if lock is not None and lock.is_active() else ""

    @admin.action(description="Lock the selected rosters", permissions=["lock"])
    def lock_rosters(self, request, queryset):
        # The first post comes from the list; the second from the form below.
        form = RosterLockForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            # An aware datetime: the form reads it in the site's time zone.
            until = form.cleaned_data["until"]
            locked = 0
            for team in queryset:
                try:
                    roster_lock(
                        team,
                        actor=request.user,
                        until=until,
                        reason=form.cleaned_data["reason"],
                    )
                except DomainError as error:
                    self.message_user(
                        request, f"{team}: {error.message}", messages.ERROR
                    )
                else:
                    locked += 1
            if locked:
                self.message_user(
                    request, f"Locked {locked} roster(s).", messages.SUCCESS
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Lock rosters",
            "opts": self.model._meta,
            "teams": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/roster/lockableteam/lock_rosters.html", context
        )

    @admin.action(description="Unlock the selected rosters", permissions=["lock"])
    def unlock_rosters(self, request, queryset):
        unlocked = sum(roster_unlock(team, actor=request.user) for team in queryset)
        self.message_user(request, f"Unlocked {unlocked} roster(s).", messages.SUCCESS)


@admin.register(RosterLock)
class RosterLockAdmin(StaffOnlyAdmin):
    list_display = ("team", "until", "reason", "locked_by", "locked_at")
    list_select_related = ("team", "locked_by")
    search_fields = ("team__name", "reason")


@admin.register(RosterEvent)
class RosterEventAdmin(StaffOnlyAdmin):
    """Roster events are append-only, so the admin only lists them."""

    list_display = (
        "created_at",
        "team",
        "kind",
        "profile",
        "role",
        "previous_role",
        "actor",
    )
    list_filter = ("kind",)
    search_fields = ("team__name", "profile__handle", "actor__username")
    list_select_related = ("team", "profile", "actor")
    date_hierarchy = "created_at"
