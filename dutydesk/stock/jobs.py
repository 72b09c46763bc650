"""Scheduler jobs of the stores (idempotent: a tick can run twice)."""
from datetime import datetime

from django.utils import timezone

from dutydesk.archive.models import Project
from dutydesk.core.scheduler import job
from dutydesk.stock import services


@job("stock.daily_check", "Flag expired batches and put items below safety stock in the keeper's inbox",
     per_project=True, period="day", due=lambda local: local.hour >= 8,
     projects=lambda now: Project.objects.filter(stock_items__active=True).distinct())
def daily_check(now: datetime, project: Project) -> int:
    """Expired stock is flagged (and never issued: the issue reads the date, not the flag); an item that fell below its
    safety stock without an issue (its batches expired) still alerts the keeper, once per item and day. Set-based: a
    fixed number of queries whatever the number of items and batches. Returns how many batches were flagged and
    alerts made."""
    today = timezone.localtime(now).date()
    return services.expired_flag(project=project, today=today) + services.safety_alerts(project=project, today=today)
