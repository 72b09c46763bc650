from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "dutydesk.archive"
    label = "archive"
    verbose_name = _("Property archive")
    nav_items = [
        (_("Units"), "archive:units", "archive.view"),
        (_("Residents"), "archive:residents", "archive.view"),
    ]

    def ready(self) -> None:
        from dutydesk.archive.models import Project
        from dutydesk.core import scheduler

        scheduler.register_projects(Project.objects.all)  # the projects per-project scheduled jobs run for
