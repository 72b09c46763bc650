from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dutydesk.frontdesk import models


@admin.register(models.Key)
class KeyAdmin(SimpleHistoryAdmin):
    list_display = ["label", "project", "unit", "kind", "status", "location"]
    list_filter = ["project", "kind", "status"]
    search_fields = ["label", "location"]
    raw_id_fields = ["unit"]


@admin.register(models.KeyLoan)
class KeyLoanAdmin(SimpleHistoryAdmin):
    list_display = ["key", "borrower_name", "lent_at", "due_at", "returned_at"]
    raw_id_fields = ["key"]


@admin.register(models.Visit)
class VisitAdmin(SimpleHistoryAdmin):
    list_display = ["pass_code", "visitor_name", "unit", "arrived_at", "valid_until", "left_at"]
    search_fields = ["pass_code", "visitor_name", "visitor_phone"]
    raw_id_fields = ["unit"]


@admin.register(models.AccessPass)
class AccessPassAdmin(SimpleHistoryAdmin):
    list_display = ["number", "kind", "holder_name", "unit", "valid_from", "valid_until", "status"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["unit"]


@admin.register(models.CardBatch)
class CardBatchAdmin(SimpleHistoryAdmin):
    list_display = ["project", "bought_on", "quantity", "supplier"]


@admin.register(models.Card)
class CardAdmin(SimpleHistoryAdmin):
    list_display = ["number", "resident", "unit", "status", "made_at", "confirmed_at"]
    list_filter = ["status"]
    raw_id_fields = ["resident", "unit"]


@admin.register(models.ServiceRecord)
class ServiceRecordAdmin(admin.ModelAdmin):
    list_display = ["procedure", "clerk", "post", "started_at", "finished_at", "duration_seconds", "action"]
    list_filter = ["procedure", "action"]
