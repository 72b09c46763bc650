from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dutydesk.patrols.models import Checkpoint, Round, Route


class CheckpointInline(admin.TabularInline):
    model = Checkpoint
    extra = 0
    raw_id_fields = ["unit", "category", "post"]


@admin.register(Route)
class RouteAdmin(SimpleHistoryAdmin):
    list_display = ["name", "project", "post", "active"]
    list_filter = ["active"]
    raw_id_fields = ["project", "post", "created_by"]
    inlines = [CheckpointInline]


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin):
    list_display = ["route", "starts_at", "due_at", "status", "walker"]
    list_filter = ["status"]
    raw_id_fields = ["route", "project", "post", "walker", "task"]
