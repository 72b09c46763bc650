"""Writes of the registers: record an entry, finish a timed one, chase the overdue ones.

Who may write is the catalogue's word: a holder of one of the register's ``writers`` posts in the entry's project
(``Denied`` otherwise, for every caller). A timed register (a time standard: ``limit_minutes``) opens an entry when
it is recorded and times it until it is finished, like the front-desk registers; an untimed one is finished at once.
Follow-ups of the register put a task in a post's inbox when an entry matches their condition."""
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.i18n import bilingual
from dutydesk.core.permissions import Denied
from dutydesk.core.workdays import add_working_days
from dutydesk.inbox.services import task_create_once
from dutydesk.org import access
from dutydesk.org.models import Post, Register
from dutydesk.registers.models import Entry, EntryCounter
from dutydesk.registers.values import clean_values


def writer_post(user: Any, register: Register, project: Project | int) -> Post | None:
    """The post through which ``user`` writes ``register`` in ``project`` (None: they may not)."""
    project_id = getattr(project, "pk", project)
    writers = set(register.writers.values_list("pk", flat=True))
    for holding in access.holdings(user):
        if holding.project_id == project_id and holding.post_id in writers:
            return holding.post
    return None


@transaction.atomic
def entry_record(*, register: Register, project: Project, user: Any, values: Any,
                 files: dict[str, UploadedFile] | None = None, started_at: datetime | None = None) -> Entry:
    """Record one entry. Bad values → 400 keyed ``values.<field>`` and nothing is stored."""
    post = writer_post(user, register, project)
    if post is None and not getattr(user, "is_superuser", False):
        raise Denied(_("Your posts do not write this register in this project."))
    cleaned = clean_values(register, project, values, files)
    now = clock.now()
    if started_at is not None and (started_at > now or started_at < now - timedelta(days=1)):
        raise BusinessRuleError({"started_at": [_("The start must lie within the last 24 hours.")]})
    start = started_at or now
    entry = Entry(register=register, project=project, number=_next_number(register, project, now), values=cleaned.values,
                  unit=cleaned.unit, recorded_by=user, post=post, started_at=start)
    if not register.timed:
        entry.finished_at, entry.finished_by, entry.status = start, user, Entry.Status.FINISHED
    else:
        entry.status = Entry.Status.OPEN
    entry.save()
    _follow_ups(entry)
    return entry


def _next_number(register: Register, project: Project, now: datetime) -> str:
    year = timezone.localtime(now).year
    EntryCounter.objects.get_or_create(register=register, project=project, year=year)
    counter = EntryCounter.objects.select_for_update().get(register=register, project=project, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{register.number_prefix}{year}{counter.last:05d}"


@transaction.atomic
def entry_finish(*, entry: Entry, user: Any) -> Entry:
    """Finish a timed entry: on time when within the register's limit. Finished already (or untimed) → 409."""
    entry = Entry.objects.select_for_update().select_related("register").get(pk=entry.pk)
    if entry.status == Entry.Status.FINISHED:
        raise StateConflict(_("This entry is already finished."))
    if writer_post(user, entry.register, entry.project_id) is None and not getattr(user, "is_superuser", False):
        raise Denied(_("Your posts do not write this register in this project."))
    now = clock.now()
    entry.finished_at, entry.finished_by, entry.status = now, user, Entry.Status.FINISHED
    limit = entry.register.limit_minutes
    entry.on_time = limit is not None and now - entry.started_at <= timedelta(minutes=limit)
    entry.save(update_fields=["finished_at", "finished_by", "status", "on_time"])
    return entry


# ---- follow-ups and escalation -------------------------------------------------------------------------------

def matches(condition: dict | None, values: dict) -> bool:
    """Does an entry's values meet a follow-up's ``when`` ({field, equals | in | at_least}); no condition: always."""
    if not condition:
        return True
    value = values.get(condition["field"])
    if "equals" in condition:
        return _same(value, condition["equals"])
    if "in" in condition:
        return any(_same(value, option) for option in condition["in"])
    if "at_least" in condition:
        try:
            return value is not None and Decimal(str(value)) >= Decimal(str(condition["at_least"]))
        except ArithmeticError:
            return False
    return False


def _same(value: Any, wanted: Any) -> bool:
    if isinstance(value, bool) or isinstance(wanted, bool):
        return bool(value) == bool(wanted) and value is not None
    return value is not None and str(value) == str(wanted)


def _follow_ups(entry: Entry) -> None:
    register = entry.register
    posts = {post.code: post for post in Post.objects.filter(code__in=[f["post"] for f in register.follow_ups])}
    local = timezone.localtime(entry.started_at)
    for position, follow_up in enumerate(register.follow_ups):
        post = posts.get(follow_up["post"])
        if post is None or not matches(follow_up.get("when"), entry.values):
            continue
        if follow_up.get("due_working_days"):
            day = add_working_days(local.date(), follow_up["due_working_days"])
            due = local.replace(year=day.year, month=day.month, day=day.day)
        else:
            due = entry.started_at + timedelta(minutes=follow_up["due_minutes"])
        title = bilingual(follow_up["title"], follow_up.get("title_en"))
        task_create_once(source="registers.follow_up", source_key=f"registers:entry:{entry.pk}:follow-up:{position}",
                         post=post, project=entry.project_id, due_at=due, url=entry_url(entry),
                         title=f"{title} · {register.name} {entry.number}")


def overdue_task_key(entry_id: int) -> str:
    return f"registers:entry:{entry_id}:overdue"


def chase_overdue(entry: Entry, now: datetime) -> bool:
    """A timed entry still open past its limit becomes a task for the posts that read the register (their
    supervisor), else for the superior of the post that recorded it. Once per entry."""
    register = entry.register
    post = register.readers.order_by("position", "pk").first() or (entry.post.superior if entry.post else None)
    if post is None:
        return False
    _task, created = task_create_once(
        source="registers.overdue", source_key=overdue_task_key(entry.pk), post=post, project=entry.project_id,
        due_at=now, url=entry_url(entry),
        title=_("%(register)s %(number)s not finished within %(limit)s minutes")
        % {"register": register.name, "number": entry.number, "limit": register.limit_minutes})
    return created


def entry_url(entry: Entry) -> str:
    return reverse("registers:entry", args=[entry.register.code, entry.pk])
