from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dutydesk.stock import models


@admin.register(models.Item)
class ItemAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "project", "unit", "bin", "safety_stock", "shelf_life_days", "active"]
    list_filter = ["project", "active"]
    search_fields = ["code", "name", "bin"]


@admin.register(models.Receipt)
class ReceiptAdmin(SimpleHistoryAdmin):
    list_display = ["item", "batch", "quantity", "remaining", "zone", "received_at", "expires_on", "approved_at"]
    list_filter = ["project", "zone"]
    search_fields = ["batch", "item__code", "item__name"]
    raw_id_fields = ["item"]


class IssueLineInline(admin.TabularInline):
    model = models.IssueLine
    raw_id_fields = ["receipt"]
    extra = 0


@admin.register(models.Issue)
class IssueAdmin(SimpleHistoryAdmin):
    list_display = ["item", "quantity", "to", "issued_at", "issued_by", "approved_at"]
    list_filter = ["project"]
    raw_id_fields = ["item"]
    inlines = [IssueLineInline]


@admin.register(models.StockCount)
class StockCountAdmin(SimpleHistoryAdmin):
    list_display = ["item", "book", "counted", "difference", "counted_at", "counted_by"]
    list_filter = ["project"]
    raw_id_fields = ["item"]
