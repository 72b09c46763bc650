"""The work-order queues' table: its rows read as values and written in Python, not as model instances through the
template engine.

At a group's scale a queue page is mostly its 50 rows. Through ``{% for %}`` over model instances they cost ~650
template-variable lookups, 50 ``{% url %}``, 50 date filters, ~260 model instances (ticket, unit, building, owner,
assignee) and a prefetch query per lookup table: the larger part of the page (issue 11, docs/scaling.md "Where a list
page's time goes"). Here the rows are one ``values_list`` over the same joins, the categories' and the posts' names
one small query each, and each row one f-string. What a row says comes from the functions the models use
(``unit_label``, ``minutes_left``, ``overdue_at``, ``person_name``, ``bilingual``), so the table says what it said.
The header and the empty row stay in ``tickets/_table.html``."""
from collections.abc import Iterable
from html import escape
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dutydesk.archive.models import Project, unit_label
from dutydesk.core import clock
from dutydesk.core.i18n import bilingual
from dutydesk.core.rows import url_for_pk
from dutydesk.core.templatetags.people import person_name
from dutydesk.org.models import Post
from dutydesk.tickets.models import Kind, Priority, Status, Ticket, TicketCategory, minutes_left, overdue_at

URGENT = (Priority.URGENT, Priority.HIGH)

# the row's attributes are these paths (``row.unit__building__name``): values_list(named=True)
FIELDS = ("pk", "project_id", "number", "kind", "priority", "title", "status", "resolution_due", "held_since", "escalation_level",
          "category_id", "unit__number", "unit__building__name", "owner_id", "owner__first_name", "owner__last_name",
          "owner__username", "assignee_id", "assignee__first_name", "assignee__last_name", "assignee__username",
          "assigned_post_id", "escalated_post_id")


def rows_of(tickets: QuerySet[Ticket]) -> QuerySet[Any]:
    """The table's rows of a queue (filtered and ordered as the queue is): one statement over the joins the list
    already makes (unit, building, owner, assignee); no model instances, no prefetch."""
    return tickets.select_related(None).prefetch_related(None).values_list(*FIELDS, named=True)


def remaining_text(minutes: int | None) -> str:
    """'3h 20m left' / 'overdue 1h 5m' / '' for finished tickets (``minutes_left``)."""
    if minutes is None:
        return ""
    if minutes < 0:
        return _("overdue %(span)s") % {"span": _span(minutes)}
    return _("%(span)s left") % {"span": _span(minutes)}


def _span(minutes: int) -> str:
    minutes = abs(int(minutes))
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(days)sd %(hours)sh") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)sh %(minutes)sm") % {"hours": hours, "minutes": mins}
    return _("%(minutes)sm") % {"minutes": mins}


FINISHED_CSS = {Status.RESOLVED.value: "good", Status.CLOSED.value: "good"}


def status_css(status: str, overdue: bool) -> str:
    """The status pill's colour: overdue red, finished green."""
    return "overdue" if overdue else FINISHED_CSS.get(status, "")


def _names(model: type[TicketCategory] | type[Post] | type[Project], ids: set[int | None]) -> dict[int | None, str]:
    """Category, post or project names by id, in the active language (one small query; none when no row has
    one)."""
    keys = [pk for pk in ids if pk is not None]
    if not keys:
        return {}
    return {pk: bilingual(name, name_en) for pk, name, name_en in
            model.objects.filter(pk__in=keys).values_list("pk", "name", "name_en")}


def ticket_rows(values: Iterable[Any], *, with_project: bool = False) -> SafeString:
    """The ``<tr>`` of each row (``rows_of``), every value escaped. ``with_project``: a column naming each work
    order's project, for someone who sees several (a group's manager: numbers and unit codes repeat from one
    project to the next)."""
    rows = list(values)
    projects = _names(Project, {row.project_id for row in rows}) if with_project else {}
    categories = _names(TicketCategory, {row.category_id for row in rows})
    posts = _names(Post, {row.assigned_post_id for row in rows} | {row.escalated_post_id for row in rows})
    detail_url = url_for_pk("tickets:detail")
    kinds, priorities, statuses = dict(Kind.choices), dict(Priority.choices), dict(Status.choices)
    unclaimed = f'<span class="pill warn">{escape(_("Unclaimed"))}</span>'
    now = clock.now()
    html = []
    for row in rows:
        overdue = overdue_at(row.status, row.resolution_due, now)
        kind = escape(str(kinds.get(row.kind, row.kind)))
        if row.priority in URGENT:
            kind += f' <span class="pill bad">{escape(str(priorities[row.priority]))}</span>'
        title = escape(row.title)
        if row.category_id:
            title += f' <span class="muted">· {escape(categories.get(row.category_id, ""))}</span>'
        status = (f'<span class="pill {status_css(row.status, overdue)}">'
                  f'{escape(str(statuses.get(row.status, row.status)))}</span>')
        if row.escalation_level:
            status += (f' <span class="pill bad" title="{escape(posts.get(row.escalated_post_id, ""))}">'
                       f'↑{row.escalation_level}</span>')
        owner = escape(person_name(row.owner__first_name, row.owner__last_name, row.owner__username)) \
            if row.owner_id else unclaimed
        if row.assignee_id:
            assignee = escape(person_name(row.assignee__first_name, row.assignee__last_name, row.assignee__username))
        elif row.assigned_post_id:
            assignee = f'<span class="muted">{escape(posts.get(row.assigned_post_id, ""))}</span>'
        else:
            assignee = "—"
        due = timezone.localtime(row.resolution_due).strftime("%m-%d %H:%M") if row.resolution_due else ""
        left = escape(remaining_text(minutes_left(row.status, row.resolution_due, row.held_since, now)))
        late, error = (' class="overdue"', ' class="error"') if overdue else ("", "")
        project = f'<td>{escape(projects.get(row.project_id, ""))}</td>' if with_project else ""
        html.append(
            f'<tr{late}><td><a href="{detail_url(row.pk)}">{escape(row.number)}</a></td>{project}<td>{kind}</td>'
            f'<td>{title}</td><td>{escape(unit_label(row.unit__building__name, row.unit__number))}</td>'
            f'<td>{status}</td><td>{owner}</td><td>{assignee}</td><td>{due}</td>'
            f'<td{error}>{left}</td></tr>')
    return mark_safe("\n".join(html))  # every value above escaped
