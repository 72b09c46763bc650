from django.contrib import admin

from dutydesk.core.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "created_at", "read_at"]
    list_select_related = ["user"]
