from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dutydesk.occupancy.models import MoveIn, MoveOut, Renovation


@admin.register(MoveIn)
class MoveInAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "resident", "date", "status"]
    list_filter = ["status"]
    raw_id_fields = ["unit", "resident"]


@admin.register(MoveOut)
class MoveOutAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "resident", "date", "status"]
    list_filter = ["status"]
    raw_id_fields = ["unit", "resident", "goods_release"]


@admin.register(Renovation)
class RenovationAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "contractor", "starts_on", "ends_on", "deposit", "status"]
    list_filter = ["status"]
    raw_id_fields = ["unit", "resident", "deposit_charge"]
