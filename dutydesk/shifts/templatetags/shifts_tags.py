"""``{% roster_rows rows project post period today day %}``: the body of the roster grid, one row per person and one
cell per day, built in Python (a month of 75 people is 2,325 cells: the template loop was most of the page's time,
scripts/bench_modules.py). The markup is the one the grid always had (styles, scripts and tests read it)."""
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from dutydesk.core.templatetags.people import person
from dutydesk.shifts.models import RosterEntry, ShiftCode
from dutydesk.shifts.selectors import RosterCell

register = template.Library()


@register.simple_tag
def roster_rows(rows: list[dict[str, Any]], project: Any, post: Any, period: Any, today: Any, day: Any
                ) -> SafeString:
    shift_names = {code: escape(str(label)) for code, label in ShiftCode.choices}
    on_leave = escape(str(RosterEntry.Status.LEAVE.label))
    link = f"?project={project.pk}&amp;post={post.pk}&amp;month={escape(period.label)}&amp;day="
    html = []
    badges: dict[tuple[str, str], str] = {}  # one badge per (shift, status): a handful for thousands of cells

    def badge(entry: RosterCell) -> str:
        key = (entry.shift, entry.status)
        if key not in badges:
            badges[key] = _shift(entry, shift_names, on_leave)
        return badges[key]

    for row in rows:
        name = escape(person(row["user"]))
        html.append(f'<tr><td class="person" title="{name}">{name}</td>\n')
        for cell in row["cells"]:
            date = cell["day"]
            classes = (("weekend" if date.weekday() >= 5 else "") + (" today" if date == today else "")
                       + (" chosen" if date == day else ""))
            shifts = "".join(badge(entry) for entry in cell["entries"])
            html.append(f'<td class="{classes}"><a class="cell" href="{link}{date.isoformat()}">{shifts}</a></td>')
        html.append("</tr>")
    return mark_safe("".join(html))  # noqa: S308  every value above is escaped


def _shift(entry: RosterEntry | RosterCell, names: dict[str, str], on_leave: str) -> str:
    """shifts/_shift.html, for one cell's entry."""
    code = escape(entry.shift)
    leave = entry.status == RosterEntry.Status.LEAVE
    title = names.get(entry.shift, code) + (f" · {on_leave}" if leave else "")
    return f'<span class="shift shift-{code}{" leave" if leave else ""}" title="{title}">{code}</span>'


@register.simple_tag
def swap_options(entries: list[RosterEntry] | list[RosterCell]) -> SafeString:
    """The ``<option>``s of the shifts one may swap with ("11-26 a · name"), built once for every swap form of the
    page (each of one's own shifts has one: a month of a large post is thousands of options a form)."""
    return mark_safe("".join(  # noqa: S308  every value is escaped
        f'<option value="{entry.pk}">{entry.day:%m-%d} {escape(entry.shift)} · {escape(person(entry.user))}</option>'
        for entry in entries))
