from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "team", "read_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("recipient__username", "text")
    list_select_related = ("recipient", "team")
    date_hierarchy = "created_at"
    readonly_fields = (
        "recipient", "kind", "actor", "team", "text", "data", "url",
        "created_at", "read_at",
    )  # fmt: skip

    def has_add_permission(self, request):
        # Notifications come from the features that send them.
        return False

    def has_change_permission(self, request, obj=None):
        return False
