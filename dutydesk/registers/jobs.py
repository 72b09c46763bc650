"""Scheduler job of the registers (idempotent: a tick can run twice)."""
from datetime import datetime

from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat

from dutydesk.core.scheduler import job
from dutydesk.inbox.models import Task
from dutydesk.registers import freshness, selectors, services
from dutydesk.registers.models import Entry


def _unchased(now: datetime) -> QuerySet[Entry]:
    source_key = Concat(Value("registers:entry:"), Cast(OuterRef("pk"), CharField()), Value(":overdue"))
    return selectors.open_overdue(now).annotate(chased=Exists(Task.objects.filter(source_key=source_key))).filter(
        chased=False)


@job("registers.overdue", "Timed register entries not finished within their time standard become tasks for the "
     "posts that read the register (e.g. 004: 10分鐘內向上級反映特發事件)")
def registers_overdue(now: datetime) -> int:
    """Work proportional to what is overdue and not yet chased: open entries past their limit, no task yet."""
    return sum(services.chase_overdue(entry, now) for entry in _unchased(now).order_by("started_at")[:500])


@job("registers.freshness", "seeds/000_d44081c6db2527f0.txt:141 篇4: a batch still on sale on its adjustment day "
     "(pouch milk 15 days after production, Tetra pillow 25 days, ambient 3 months) becomes a task for the clerk who "
     "checked it",
     period="hour")
def freshness_due(now: datetime) -> int:
    """Hourly, so a check that finds a batch already past its day is chased the same hour; one task per batch."""
    return freshness.freshness_tasks(now)
