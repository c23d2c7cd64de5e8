from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import ImportedRow, ImportedTeam, ImportRun, RankBreakdown, TeamMatch

# Imported records change only through the import command.


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["snapshot_date", "status", "rows", "started_at", "finished_at"]
    list_filter = ["status", "snapshot_date"]
    search_fields = ["message"]


@admin.register(ImportedTeam)
class ImportedTeamAdmin(ReadOnlyAdmin):
    list_display = [
        "published_name",
        "team",
        "last_standing",
        "first_seen",
        "last_seen",
    ]
    list_filter = ["last_seen"]
    search_fields = ["published_name", "team__name", "nicknames"]
    list_select_related = ["team"]


@admin.register(ImportedRow)
class ImportedRowAdmin(ReadOnlyAdmin):
    list_display = ["date", "standing", "name", "points", "region", "team"]
    list_filter = ["date", "region"]
    search_fields = ["name", "team__name"]
    list_select_related = ["team", "region"]


@admin.register(TeamMatch)
class TeamMatchAdmin(ReadOnlyAdmin):
    list_display = ["match_id", "date", "team", "opponent_name", "won"]
    list_filter = ["won", "date"]
    search_fields = ["team__name", "opponent_name", "=match_id"]
    list_select_related = ["team"]


@admin.register(RankBreakdown)
class RankBreakdownAdmin(ReadOnlyAdmin):
    list_display = ["team", "date", "final_value", "region_name", "regional_rank"]
    list_filter = ["date", "region_name"]
    search_fields = ["team__name"]
    list_select_related = ["team"]
