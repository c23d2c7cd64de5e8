from django.contrib import admin

from .models import Game, Region


@admin.register(Game)
class GameAdmin(admin.ModelAdmin):
    list_display = [
        "name", "slug", "starters", "max_roster", "max_coaches", "is_active",
        "sort_order",
    ]  # fmt: skip
    list_filter = ["is_active"]
    list_editable = ["is_active", "sort_order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
