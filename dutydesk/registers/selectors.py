"""Reads of the registers. A register is used by the holders of its ``writers`` and ``readers`` posts, in the
projects where they hold them; its entries are seen there and nowhere else (an entry of another project is 404)."""
from datetime import timedelta
from typing import Any

from django.db import models
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from dutydesk.core.periods import Period
from dutydesk.org import access
from dutydesk.org.models import Register
from dutydesk.registers.models import Entry

NOTHING = Q(pk__in=[])


def _posts_by_project(user: Any) -> dict[int, set[int]]:
    projects: dict[int, set[int]] = {}
    for holding in access.holdings(user):
        projects.setdefault(holding.project_id, set()).add(holding.post_id)
    return projects


def registers_for(user: Any, project: Any = None) -> QuerySet[Register]:
    """The registers the user's posts write or read (in ``project``, a project or its id, when given)."""
    if getattr(user, "is_superuser", False):
        return Register.objects.all()
    project_id = getattr(project, "pk", project)
    posts = {post for pid, held in _posts_by_project(user).items() if project_id is None or pid == project_id
             for post in held}
    if not posts:
        return Register.objects.none()
    return Register.objects.filter(Q(writers__in=posts) | Q(readers__in=posts)).distinct()


def uses_registers(user: Any) -> bool:
    return registers_for(user).exists()


def writable_codes(user: Any, project: Any = None) -> set[str]:
    """Codes of the registers the user writes in ``project`` (a project or its id; None: in any project)."""
    if getattr(user, "is_superuser", False):
        return set(Register.objects.values_list("code", flat=True))
    project_id = getattr(project, "pk", project)
    posts = {post for pid, held in _posts_by_project(user).items() if project_id is None or pid == project_id
             for post in held}
    return set(Register.objects.filter(writers__in=posts).values_list("code", flat=True))


def project_ids_for(user: Any, register: Register) -> list[int]:
    """The projects where the user's posts write or read ``register``."""
    if getattr(user, "is_superuser", False):
        return list(register.entries.values_list("project_id", flat=True).distinct()) or [
            holding.project_id for holding in access.holdings(user)]
    posts = set(register.writers.values_list("pk", flat=True)) | set(register.readers.values_list("pk", flat=True))
    return sorted(pid for pid, held in _posts_by_project(user).items() if held & posts)


def entries_visible_to(user: Any, register: Register) -> QuerySet[Entry]:
    entries = Entry.objects.filter(register=register)
    if getattr(user, "is_superuser", False):
        return entries
    return entries.filter(project_id__in=project_ids_for(user, register))


def entries_between(entries: QuerySet[Entry], start: Any = None, end: Any = None) -> QuerySet[Entry]:
    """Entries started in [start, end) (datetimes; either may be None)."""
    if start is not None:
        entries = entries.filter(started_at__gte=start)
    if end is not None:
        entries = entries.filter(started_at__lt=end)
    return entries


def open_overdue(now: Any) -> QuerySet[Entry]:
    """Timed entries still open past their register's limit (the partial index on open entries serves it)."""
    overdue = NOTHING
    for register_id, limit in Register.objects.filter(limit_minutes__isnull=False).values_list("pk", "limit_minutes"):
        overdue |= Q(register_id=register_id, started_at__lt=now - timedelta(minutes=limit or 0))
    return Entry.objects.filter(overdue, status=Entry.Status.OPEN).select_related("register", "post")


def field_number(field_code: str) -> Cast:
    """A number or money field of the values as a decimal (for SUM and AVG in SQL)."""
    return Cast(KT(f"values__{field_code}"), models.DecimalField(max_digits=20, decimal_places=2))


def counts_by_person(register_ids: list[int], project: Any, period: Period, people: list[int]) -> dict:
    """{(register id, person): (entries, finished, on time)} in the month, one GROUP BY."""
    rows = (Entry.objects.filter(register_id__in=register_ids, project=project, recorded_by_id__in=people,
                                 started_at__gte=period.start_at, started_at__lt=period.end_at)
            .values_list("register_id", "recorded_by_id")
            .annotate(entries=Count("pk"), finished=Count("pk", filter=Q(status=Entry.Status.FINISHED)),
                      on_time=Count("pk", filter=Q(on_time=True))).order_by())
    return {(register, person): (entries, finished, on_time) for register, person, entries, finished, on_time in rows}


def field_totals_by_person(register_id: int, field_code: str, project: Any, period: Period, people: list[int]) -> dict:
    """{person: (sum of the field, entries with a value)} in the month, one GROUP BY."""
    value = field_number(field_code)
    rows = (Entry.objects.filter(register_id=register_id, project=project, recorded_by_id__in=people,
                                 started_at__gte=period.start_at, started_at__lt=period.end_at)
            .filter(**{f"values__{field_code}__isnull": False})
            .values_list("recorded_by_id")
            .annotate(total=Sum(value), valued=Count("pk")).order_by())
    return {person: (total, valued) for person, total, valued in rows}


def today_and_open(registers: list[Register], user: Any, today_start: Any) -> dict[int, tuple[int, int]]:
    """{register id: (entries recorded today, entries still open)} in the user's projects of each register: one
    GROUP BY for the whole list."""
    if getattr(user, "is_superuser", False):
        scope = Q()
    else:
        by_project = _posts_by_project(user)
        scope = NOTHING
        for register in registers:
            posts = {p.pk for p in register.writers.all()} | {p.pk for p in register.readers.all()}
            projects = [pid for pid, held in by_project.items() if held & posts]
            if projects:
                scope |= Q(register_id=register.pk, project_id__in=projects)
    rows = (Entry.objects.filter(scope, register__in=registers).values_list("register_id")
            .annotate(today=Count("pk", filter=Q(started_at__gte=today_start)),
                      open=Count("pk", filter=Q(status=Entry.Status.OPEN))).order_by())
    return {register: (today, still_open) for register, today, still_open in rows}


def portal_notices(project_ids: list[int], today: Any) -> list[tuple[Register, Entry]]:
    """The entries residents of ``project_ids`` see today: of every register with a ``portal`` (docs/catalog.md),
    shown from its ``from`` date until its ``until`` date (inclusive), newest first. One query per such register
    (a catalogue has a handful)."""
    day = today.isoformat()  # ISO dates compare as text, in SQLite and in PostgreSQL's jsonb ->> text alike
    shown: list[tuple[Register, Entry]] = []
    for register in Register.objects.exclude(portal={}).order_by("pk"):
        portal = register.portal
        entries = Entry.objects.filter(register=register, project_id__in=project_ids).alias(
            shown_from=_text(portal["from"])).filter(shown_from__lte=day)
        if portal.get("until"):
            entries = entries.alias(shown_until=_text(portal["until"])).filter(
                Q(shown_until__isnull=True) | Q(shown_until__gte=day))
        when = portal.get("when")
        if when:
            options = [when["equals"]] if "equals" in when else list(when["in"])
            entries = entries.alias(condition=_text(when["field"])).filter(
                condition__in=[str(option) for option in options])
        shown.extend((register, entry) for entry in entries.order_by("-shown_from", "-id")[:50])
    return sorted(shown, key=lambda pair: (pair[1].values.get(pair[0].portal["from"], ""), pair[1].pk), reverse=True)


def _text(field_code: str) -> Cast:
    """A value of the entry's values as text (compared as text, not as JSON)."""
    return Cast(KT(f"values__{field_code}"), models.CharField())
