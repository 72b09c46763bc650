"""The seed sweeps (004 篇2): once a day, from a set time, every owner (首问负责人) of certain open work orders gets their
list of them. The sweeps differ only in the data of ``Sweep`` below: which work orders, from when, due when, the
list's heading and the catalogue routine of the same duty; ``jobs.py`` runs each one once a day.

One duty, one task (issue 15): the seed duty is also a routine of the catalogue ("17:00前检查当天各登记事项…",
``daily-1700-check``), which already put a task due at the same time in the owner's inbox. The sweep writes its list
into that task (``inbox.services.task_describe``); only an owner without that routine task of the day in the project
(another post's holder, say a supervisor who took a call) gets a task of the sweep's own."""
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
from dutydesk.inbox.models import Task
from dutydesk.inbox.services import task_describe, tasks_create_once
from dutydesk.tickets import selectors
from dutydesk.tickets.models import Ticket

TASK_LINES = 50  # a sweep task lists this many work orders; the rest are one click away in the list

Group = tuple[int, list[Ticket]]  # (how many, the first TASK_LINES of them)


@dataclass(frozen=True)
class Sweep:
    key: str  # names the task: tickets:<key>:<day>:<owner id>, one task per owner and day
    starts: str  # local HH:MM from which the day's sweep is due (the job runs once a day: its mark is the day)
    due: str  # local HH:MM the task is due that day
    tickets: Callable[[date], QuerySet[Ticket]]  # the work orders to list on a day, with their owners
    title: Promise  # the task's title, with %(count)s
    routine: str = ""  # code of the catalogue routine of the same duty: its task of the day carries the list

    def is_due(self, local: datetime) -> bool:
        return local.time() >= clock.at(local.date(), self.starts).time()

    def run(self, now: datetime) -> int:
        """Every owner's list of the day, in their routine task of the same duty or else in one task of the sweep;
        returns the number of tasks that got a list (0 when the sweep already ran today: the task keys and the
        lists already written make it idempotent)."""
        day = timezone.localtime(now).date()
        groups = _grouped(self.tickets(day))
        carriers = self._routine_tasks(day, groups)
        url = reverse("tickets:queue") + "?q=mine"
        done = 0
        leftover: dict[int | None, list[Group]] = {}
        for (owner_id, project_id), (count, tickets) in groups.items():
            carrier = carriers.get((owner_id, project_id))
            if carrier is None:
                leftover.setdefault(owner_id, []).append((count, tickets))
            elif carrier.status == Task.Status.OPEN:  # a routine task already done: the check was made, no second task
                done += task_describe(task=carrier, url=url, description="\n".join(
                    [str(self.title % {"count": count}), _task_lines(tickets, count)]))
        tasks = []
        for owner_id, parts in leftover.items():
            count = sum(part_count for part_count, _tickets in parts)
            tickets = sorted((t for _count, part in parts for t in part), key=lambda t: (t.created_at, t.pk))[:TASK_LINES]
            tasks.append(Task(source="tickets", source_key=f"tickets:{self.key}:{day:%Y-%m-%d}:{owner_id}",
                              title=self.title % {"count": count}, description=_task_lines(tickets, count),
                              due_at=clock.at(day, self.due), assignee_id=owner_id, project_id=tickets[0].project_id,
                              url=url))
        return done + tasks_create_once(tasks)  # in bulk: every receiver of the group at once

    def _routine_tasks(self, day: date,
                       groups: dict[tuple[int | None, int], Group]) -> dict[tuple[int | None, int | None], Task]:
        """{(owner id, project id): the owner's task of ``routine`` due on ``day`` in the project}. One query."""
        if not self.routine or not groups:
            return {}
        start, end = selectors.day_bounds(day)
        tasks = (Task.objects.filter(source="routine", routine__code=self.routine, due_at__gte=start, due_at__lt=end,
                                     assignee_id__in={owner for owner, _project in groups},
                                     project_id__in={project for _owner, project in groups})
                 .exclude(status=Task.Status.CANCELLED).order_by("due_at", "pk"))
        carriers: dict[tuple[int | None, int | None], Task] = {}
        for task in tasks:
            carriers.setdefault((task.assignee_id, task.project_id), task)
        return carriers


# seeds/004_418914185ea837fa.txt:126 篇2 item 5: 每日下午17:00前检查当天各登记事项的处理情况并对未完成事项加以追索 — the list of
# today's work orders still open is in the 17:00 check's task from 16:30, so the check due at 17:00 is made on it.
DAY_END = Sweep(
    key="sweep1700",
    starts="16:30",  # product default: half an hour before the 17:00 check is due
    due="17:00",  # seeds/004_418914185ea837fa.txt:126 篇2 item 5: 17:00前 (the routine daily-1700-check is due then too)
    tickets=selectors.received_today_still_open,
    title=gettext_lazy("17:00 check: %(count)s work orders received today are still open"),
    routine="daily-1700-check")

# From 08:00 every owner of a complaint still open from yesterday or earlier gets a task to follow it up and reply to
# the resident before 09:00.
MORNING_COMPLAINTS = Sweep(
    key="sweep0900",
    starts="08:00",  # product default: the follow-up list appears at 08:00 ...
    due="09:00",  # seeds/004_418914185ea837fa.txt:127 篇2 item 6: 每日9:00前跟进前一天未完成客户投诉
    tickets=selectors.complaints_unfinished_before,
    title=gettext_lazy("Before 09:00: follow up %(count)s unfinished complaints and reply to the residents"),
    routine="daily-0900-complaint-followup")


def _task_lines(tickets: list[Ticket], count: int) -> str:
    lines = [f"{t.number} {t.unit} {t.title} ({t.get_status_display()})" for t in tickets]
    if count > len(tickets):
        lines.append(_("… and %(count)s more in the list") % {"count": count - len(tickets)})
    return "\n".join(lines)


def _grouped(queryset: QuerySet[Ticket]) -> dict[tuple[int | None, int], Group]:
    """``{(owner_id, project_id): (count, first tickets)}`` in three queries whatever the number of tickets: a count per
    owner and project, the ids of the first ``TASK_LINES`` of each (a window function) and those work orders, not
    every open ticket loaded."""
    counts = {(owner_id, project_id): count for owner_id, project_id, count in
              queryset.order_by().values_list("owner_id", "project_id").annotate(n=Count("id"))}
    # ranked on the work orders' own columns (an index serves it), and only the first ones read with what they show
    first_ids = (queryset.select_related(None).order_by()
                 .annotate(rank=Window(RowNumber(), partition_by=[F("owner_id"), F("project_id")],
                                       order_by=[F("created_at").asc(), F("id").asc()]))
                 .filter(rank__lte=TASK_LINES).values_list("id", flat=True))
    groups: dict[tuple[int | None, int], Group] = {key: (count, []) for key, count in counts.items()}
    for ticket in queryset.filter(id__in=list(first_ids)).order_by("owner_id", "project_id", "created_at", "id"):
        groups[ticket.owner_id, ticket.project_id][1].append(ticket)
    return groups
