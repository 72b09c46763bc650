"""The freshness rule of the brand merchandiser (seeds/000_d44081c6db2527f0.txt:140–142 篇4 4 产品新鲜度管理):

- 日配产品 百利包 (pouch milk): adjustment starts 15 days after the production date;
- 日配产品 利乐枕、优酸包 (Tetra pillow, yoghurt-drink pouches): 25 days after it;
- 常配产品 (ambient products): 3 months after it;

and :147 说明 5: the merchandiser tells sales to recall the product in time (及时通知业务人员回调产品) and reports it to the
supervisor. A register takes this rule by its fields, not by its code: a choice field ``freshness`` whose choices are
classes of ``WINDOWS`` and a date field ``produced_on`` (the shipped supermarket catalogue's ``sm-freshness-check``).
From the day its adjustment starts, a batch recorded as still on sale (``action`` not ``adjust`` / ``recall``) becomes a
task for the clerk who checked it, once per batch (store, product, production date), due that day at 17:00 — or at once
when the check found it already past that day."""
import calendar
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.core import clock
from dutydesk.inbox.models import Task
from dutydesk.inbox.services import task_create_once
from dutydesk.org.models import Register
from dutydesk.registers.models import Entry
from dutydesk.registers.services import entry_url


@dataclass(frozen=True)
class Window:
    months: int = 0
    days: int = 0


# seeds/000_d44081c6db2527f0.txt:141–142: 百利包 15天; 利乐枕、优酸包 25天; 常配产品 3个月
WINDOWS = {"pouch": Window(days=15), "pillow": Window(days=25), "ambient": Window(months=3)}
HANDLED = {"adjust", "recall"}  # an ``action`` saying the batch was already taken care of
# entries older than the longest window and a month more are not looked at again (they were chased back then)
LOOKBACK = timedelta(days=31 * 3 + 31)
DUE_AT = "17:00"  # product default: the day's task is due at the end of the merchandiser's day


def adjust_from(freshness: str, produced_on: date) -> date:
    """The day from which a batch of class ``freshness`` produced on ``produced_on`` must be adjusted (a month
    later than the 31st is that month's last day)."""
    window = WINDOWS[freshness]
    month_index = produced_on.year * 12 + produced_on.month - 1 + window.months
    year, month = divmod(month_index, 12)
    day = min(produced_on.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day) + timedelta(days=window.days)


def must_adjust(freshness: str, produced_on: date, on: date) -> bool:
    """Has the batch reached its adjustment day on ``on``?"""
    return on >= adjust_from(freshness, produced_on)


def is_freshness_register(register: Register) -> bool:
    kinds = {field["code"]: field for field in register.fields}
    classes = {choice["code"] for choice in (kinds.get("freshness") or {}).get("choices") or []}
    return (kinds.get("freshness", {}).get("type") == Register.FieldType.CHOICE and bool(classes)
            and classes <= set(WINDOWS) and kinds.get("produced_on", {}).get("type") == Register.FieldType.DATE)


def _batch(entry: Entry) -> tuple[str, date] | None:
    """(class, production date) of an entry, None when it lacks either (an optional field left empty)."""
    freshness, produced = entry.values.get("freshness"), entry.values.get("produced_on")
    if freshness not in WINDOWS or not produced:
        return None
    try:
        return freshness, date.fromisoformat(produced)
    except ValueError:
        return None


def _batch_key(entry: Entry) -> str:
    """One task per batch: the same batch seen on several visits (the 2-day route) is chased once."""
    values = entry.values
    text = "|".join(str(values.get(code) or "").strip() for code in ("store", "product", "produced_on"))
    digest = hashlib.sha256(text.encode()).hexdigest()[:24]
    return f"registers:freshness:{entry.register_id}:{entry.project_id}:{digest}"


def freshness_tasks(now: datetime) -> int:
    """Put a task in the inbox of the clerk who recorded each batch that has reached its adjustment day and was not
    recorded as adjusted or recalled. Idempotent (one task per batch); returns the number of tasks created."""
    registers = [r.pk for r in Register.objects.only("pk", "fields") if is_freshness_register(r)]
    if not registers:
        return 0
    today = timezone.localtime(now).date()
    entries = list(Entry.objects.filter(register_id__in=registers, started_at__gte=now - LOOKBACK)
                   .select_related("register").order_by("started_at", "pk"))
    handled = {_batch_key(e) for e in entries if e.values.get("action") in HANDLED}
    due: dict[str, tuple[Entry, date]] = {}
    for entry in entries:
        batch = _batch(entry)
        key = _batch_key(entry)
        if batch is None or key in handled or key in due:
            continue
        start = adjust_from(*batch)
        if start <= today:
            due[key] = (entry, start)
    chased = set(Task.objects.filter(source_key__in=list(due)).values_list("source_key", flat=True))
    created = 0
    for key, (entry, start) in due.items():
        if key in chased:
            continue
        _task, made = task_create_once(
            source="registers.freshness", source_key=key, assignee=entry.recorded_by_id, post=entry.post_id,
            project=entry.project_id, due_at=max(clock.at(start, DUE_AT), now), url=entry_url(entry),
            title=_title(entry.values, start))
        created += made
    return created


def _title(values: dict[str, Any], start: date) -> str:
    return _("Freshness: %(product)s (produced %(produced)s) must be adjusted from %(date)s; tell sales to recall "
             "it") % {"product": values.get("product") or "", "produced": values.get("produced_on"),
                      "date": start.isoformat()}
