from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dutydesk.org.models import KPI, Catalog, Department, Duty, Organisation, Post, PostHolding, Procedure, Routine, Standard


class DutyInline(admin.TabularInline):
    model = Duty
    extra = 0


class StandardInline(admin.TabularInline):
    model = Standard
    extra = 0


class RoutineInline(admin.TabularInline):
    model = Routine
    extra = 0


class KPIInline(admin.TabularInline):
    model = KPI
    extra = 0


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "name_en", "department", "superior", "scope"]
    list_filter = ["catalog", "scope"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["department", "superior"]
    inlines = [DutyInline, StandardInline, RoutineInline, KPIInline]


@admin.register(PostHolding)
class PostHoldingAdmin(SimpleHistoryAdmin):
    list_display = ["user", "post", "project", "building", "floor_from", "floor_to", "active"]
    list_filter = ["active", "project", "post"]
    search_fields = ["user__username", "user__first_name", "post__name"]
    list_select_related = ["user", "post", "project", "building"]
    autocomplete_fields = ["user", "post"]


admin.site.register([Organisation, Catalog, Department, Procedure])
