from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dutydesk.tickets.models import ReturnVisit, SLAPolicy, Ticket, TicketCategory, TicketEvent


class EventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    readonly_fields = ["at", "actor", "action", "from_status", "to_status", "note"]
    can_delete = False


@admin.register(Ticket)
class TicketAdmin(SimpleHistoryAdmin):
    list_display = ["number", "kind", "title", "unit", "status", "owner", "assignee", "resolution_due"]
    list_filter = ["kind", "status", "priority", "project"]
    search_fields = ["number", "title"]
    list_select_related = ["unit__building", "owner", "assignee"]
    raw_id_fields = ["unit", "resident", "owner", "assignee", "charge"]
    inlines = [EventInline]


@admin.register(TicketCategory)
class TicketCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "project", "active", "position"]


@admin.register(SLAPolicy)
class SLAPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "priority", "project", "response_amount", "response_unit", "resolution_amount",
                    "resolution_unit", "escalation_minutes"]


@admin.register(ReturnVisit)
class ReturnVisitAdmin(admin.ModelAdmin):
    list_display = ["ticket", "method", "satisfaction", "outcome", "by", "at"]
    list_select_related = ["ticket", "by"]
