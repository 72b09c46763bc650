"""The seed sweeps (004 篇2): once a day, from a set time, every owner (首问负责人) of certain open work orders gets one
inbox task listing them. The sweeps differ only in the data of ``Sweep`` below: which work orders, from when, due when
and the task's title; ``jobs.py`` runs each one once a day."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dutydesk.core import clock
from dutydesk.inbox.services import task_create_once
from dutydesk.tickets import selectors
from dutydesk.tickets.models import Ticket

TASK_LINES = 50  # a sweep task lists this many work orders; the rest are one click away in the list


@dataclass(frozen=True)
class Sweep:
    key: str  # names the task: tickets:<key>:<day>:<owner id>, one task per owner and day
    starts: str  # local HH:MM from which the day's sweep is due (the job runs once a day: its mark is the day)
    due: str  # local HH:MM the task is due that day
    tickets: Callable[[date], QuerySet[Ticket]]  # the work orders to list on a day, with their owners
    title: Promise  # the task's title, with %(count)s

    def is_due(self, local: datetime) -> bool:
        return local.time() >= clock.at(local.date(), self.starts).time()

    def run(self, now: datetime) -> int:
        """One task per owner listing their work orders of the day; returns the number of tasks created (0 when the
        sweep already ran today: the task keys make it idempotent)."""
        day = timezone.localtime(now).date()
        created = 0
        for owner_id, (count, tickets) in _grouped(self.tickets(day)).items():
            _task, new = task_create_once(
                source="tickets", source_key=f"tickets:{self.key}:{day:%Y-%m-%d}:{owner_id}",
                title=self.title % {"count": count}, description=_task_lines(tickets, count),
                due_at=clock.at(day, self.due), assignee=tickets[0].owner, project=tickets[0].project,
                url=reverse("tickets:queue") + "?q=mine")
            created += new
        return created


# From 17:00 everyone who received work orders today gets one task listing those still open.
DAY_END = Sweep(
    key="sweep1700",
    starts="17:00",  # seeds/004_418914185ea837fa.txt:126 篇2 item 5: 每日下午17:00前检查当天各登记事项
    due="18:00",  # product default: one hour to chase what is still open
    tickets=selectors.received_today_still_open,
    title=gettext_lazy("17:00 check: %(count)s work orders received today are still open"))

# From 08:00 every owner of a complaint still open from yesterday or earlier gets a task to follow it up and reply to
# the resident before 09:00.
MORNING_COMPLAINTS = Sweep(
    key="sweep0900",
    starts="08:00",  # product default: the follow-up list appears at 08:00 ...
    due="09:00",  # seeds/004_418914185ea837fa.txt:127 篇2 item 6: 每日9:00前跟进前一天未完成客户投诉
    tickets=selectors.complaints_unfinished_before,
    title=gettext_lazy("Before 09:00: follow up %(count)s unfinished complaints and reply to the residents"))


def _task_lines(tickets: list[Ticket], count: int) -> str:
    lines = [f"{t.number} {t.unit} {t.title} ({t.get_status_display()})" for t in tickets]
    if count > len(tickets):
        lines.append(_("… and %(count)s more in the list") % {"count": count - len(tickets)})
    return "\n".join(lines)


def _grouped(queryset: QuerySet[Ticket]) -> dict[int | None, tuple[int, list[Ticket]]]:
    """``{owner_id: (count, first tickets)}`` in two queries whatever the number of tickets: a count per owner and
    the first ``TASK_LINES`` of each owner (a window function), not every open ticket loaded."""
    counts = dict(queryset.order_by().values_list("owner_id").annotate(n=Count("id")))
    ranked = queryset.annotate(rank=Window(RowNumber(), partition_by=[F("owner_id")],
                                           order_by=[F("created_at").asc(), F("id").asc()])).filter(rank__lte=TASK_LINES)
    groups: dict[int | None, tuple[int, list[Ticket]]] = {owner_id: (count, []) for owner_id, count in counts.items()}
    for ticket in ranked.order_by("owner_id", "created_at", "id"):
        groups[ticket.owner_id][1].append(ticket)
    return groups
