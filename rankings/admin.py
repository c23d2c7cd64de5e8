"""Admin for the points ledger (add-only), rankings and snapshots (read-only)."""

import uuid

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from core.admin import ReadOnlyAdmin

from .models import LedgerEntry, RankingSnapshot, SnapshotEntry, TeamRanking
from .services import ledger_add


class AdjustmentForm(forms.ModelForm):
    """The add form: staff choose the team, a signed amount and the reason."""

    class Meta:
        model = LedgerEntry
        fields = ["team", "amount", "reason"]
        help_texts = {
            "amount": "Points to add; a negative number removes points.",
            "reason": "Shown in the team's points history.",
        }

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError("Enter a non-zero number of points.")
        return amount


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Ledger entries are read-only; staff add adjustments, never edit or delete."""

    form = AdjustmentForm
    list_display = [
        "created_at", "team", "amount", "source", "reason", "created_by",
    ]  # fmt: skip
    list_filter = ["source", "team__game"]
    list_select_related = ["team", "created_by"]
    search_fields = ["team__name", "reason", "idempotency_key"]
    # A raw id field: the autocomplete widget fails on a non-numeric id.
    raw_id_fields = ["team"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "team", "amount", "source", "reason", "idempotency_key", "created_at",
        "created_by",
    ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return AdjustmentForm.Meta.fields
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Adjustments go through the ledger service, which also updates the
        # team's total under the team row lock.
        entry, _ = ledger_add(
            obj.team,
            amount=obj.amount,
            source=LedgerEntry.Source.ADJUSTMENT,
            reason=obj.reason,
            idempotency_key=f"adjustment:{uuid.uuid4()}",
            created_by=request.user,
        )
        obj.pk = entry.pk
        obj.source = entry.source
        obj.idempotency_key = entry.idempotency_key
        obj.created_at = entry.created_at
        obj.created_by = entry.created_by
        obj._state.adding = False
        obj._state.db = entry._state.db


@admin.register(TeamRanking)
class TeamRankingAdmin(ReadOnlyAdmin):
    list_display = [
        "team", "game", "region", "rank", "regional_rank", "points",
        "published_standing", "is_active", "updated_at",
    ]  # fmt: skip
    list_filter = ["game", "region", "is_active"]
    list_select_related = ["team", "game", "region"]
    search_fields = ["team__name"]
    ordering = ["game", "rank"]


@admin.register(RankingSnapshot)
class RankingSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["game", "date", "taken_at", "source", "note", "entries_link"]
    list_filter = ["game", "source"]
    list_select_related = ["game"]
    date_hierarchy = "taken_at"

    @admin.display(description="Entries")
    def entries_link(self, snapshot):
        url = reverse("admin:rankings_snapshotentry_changelist")
        return format_html(
            '<a href="{}?snapshot__id__exact={}">View</a>', url, snapshot.pk
        )


@admin.register(SnapshotEntry)
class SnapshotEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "snapshot", "rank", "regional_rank", "team", "region", "points",
        "published_standing",
    ]  # fmt: skip
    list_filter = ["snapshot__game", "region"]
    list_select_related = ["snapshot", "snapshot__game", "team", "region"]
    search_fields = ["team__name"]
    ordering = ["-snapshot__taken_at", "rank"]
