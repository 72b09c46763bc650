from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dutydesk.vendors.models import Evaluation, Score, Vendor


@admin.register(Vendor)
class VendorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "project", "active"]
    list_filter = ["project", "kind", "active"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["vendor", "month", "post", "total", "evaluated_by"]
    list_filter = ["project", "month"]
    inlines = [ScoreInline]
