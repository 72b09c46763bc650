from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dutydesk.shifts.models import Handover, Roster, RosterEntry, Shift, SwapRequest


@admin.register(Shift)
class ShiftAdmin(SimpleHistoryAdmin):
    list_display = ["project", "code", "name", "starts_at", "ends_at", "on_call"]
    list_filter = ["project"]


@admin.register(Roster)
class RosterAdmin(SimpleHistoryAdmin):
    list_display = ["project", "post", "month"]
    list_filter = ["project", "month"]


@admin.register(RosterEntry)
class RosterEntryAdmin(SimpleHistoryAdmin):
    list_display = ["day", "shift", "user", "post", "status"]
    list_filter = ["project", "status", "shift"]
    raw_id_fields = ["roster", "user"]


@admin.register(SwapRequest)
class SwapRequestAdmin(SimpleHistoryAdmin):
    list_display = ["requested_at", "post", "entry_user", "other_user", "status"]
    list_filter = ["status"]
    raw_id_fields = ["entry", "other_entry"]


@admin.register(Handover)
class HandoverAdmin(SimpleHistoryAdmin):
    list_display = ["day", "shift", "post", "handed_by", "acknowledged_by", "escalated_at"]
    list_filter = ["project", "shift"]
