from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dutydesk.archive.models import Building, ParkingSpace, Project, Resident, Unit, Vehicle


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "service_start", "service_end"]


@admin.register(Building)
class BuildingAdmin(SimpleHistoryAdmin):
    list_display = ["name", "project", "floors"]
    list_filter = ["project"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "project", "floor", "area_m2", "status"]
    list_filter = ["project", "building", "status"]
    search_fields = ["number"]
    list_select_related = ["building", "project"]


@admin.register(Resident)
class ResidentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "role", "phone", "move_in_date"]
    list_filter = ["role", "unit__project"]
    search_fields = ["name", "phone", "unit__number"]
    list_select_related = ["unit__building"]
    raw_id_fields = ["unit", "user"]


admin.site.register([ParkingSpace, Vehicle], SimpleHistoryAdmin)
