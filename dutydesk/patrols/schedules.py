"""When a route's rounds start: a schedule as data, read by pure functions (no database).

Two shapes, as the seeds describe patrols:

- at fixed times each day, ``{"times": ["10:00", "15:00"]}`` — seeds/002_59da8478c28f7f86.txt:180 坚持每天上、下午巡查
  管辖区域 (a morning and an afternoon round), :200 定时巡视检查项目公共设施情况;
- every N hours between two times, ``{"every_hours": 2, "from": "08:00", "until": "20:00"}`` (``until`` included) —
  seeds/002_59da8478c28f7f86.txt:94 每日进行多次管理区域内全方位巡视, seeds/000_d44081c6db2527f0.txt:535 篇18 12.2
  每天不间断对广场公共区域全面巡查.

Both take ``window_minutes`` (how long a round may take: it is due that long after it starts; product default 60)
and ``weekdays`` (1 = Monday … 7 = Sunday; default every day: the service runs every day,
seeds/002_59da8478c28f7f86.txt:1118 篇6)."""
import re
from datetime import date, datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _

from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError

DEFAULT_WINDOW = 60  # product default: a round is due an hour after it starts
MIN_WINDOW, MAX_WINDOW = 5, 12 * 60
MAX_TIMES = 24
HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
EVERY_DAY = [1, 2, 3, 4, 5, 6, 7]


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _time(value: Any) -> str | None:
    """"H:MM" or "HH:MM" as "HH:MM"; None for anything else."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if re.fullmatch(r"\d:[0-5]\d", text):
        text = f"0{text}"
    return text if HHMM.match(text) else None


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def normalize(value: Any, field: str = "schedule") -> dict[str, Any]:
    """The schedule in its stored form, or ``BusinessRuleError({field: [why]})``."""
    def bad(message: str) -> BusinessRuleError:
        return BusinessRuleError({field: [message]})

    if not isinstance(value, dict):
        raise bad(_('Give the schedule as {"times": ["10:00", "15:00"]} or {"every_hours": 2, "from": "08:00", '
                    '"until": "20:00"}.'))
    unknown = sorted(set(value) - {"times", "every_hours", "from", "until", "window_minutes", "weekdays"})
    if unknown:
        raise bad(_("Unknown schedule keys: %(keys)s.") % {"keys": ", ".join(unknown)})
    has_times, has_every = value.get("times") not in (None, []), value.get("every_hours") not in (None, "")
    if has_times == has_every:
        raise bad(_("A schedule gives either fixed times or a number of hours between rounds."))
    window = _whole(value.get("window_minutes", DEFAULT_WINDOW))
    if window is None or not MIN_WINDOW <= window <= MAX_WINDOW:
        raise bad(_("A round takes between %(low)s and %(high)s minutes.") % {"low": MIN_WINDOW, "high": MAX_WINDOW})
    weekdays = value.get("weekdays", EVERY_DAY)
    if (not isinstance(weekdays, list) or not weekdays
            or any(_whole(day) is None or not 1 <= (_whole(day) or 0) <= 7 for day in weekdays)):
        raise bad(_("Weekdays are numbers from 1 (Monday) to 7 (Sunday)."))
    schedule: dict[str, Any] = {}
    if has_times:
        times = value["times"]
        if not isinstance(times, list) or len(times) > MAX_TIMES:
            raise bad(_("Give at most %(count)s times of day.") % {"count": MAX_TIMES})
        parsed = [_time(text) for text in times]
        if any(text is None for text in parsed):
            raise bad(_("Times of day are written HH:MM, e.g. 09:30."))
        schedule["times"] = sorted({text for text in parsed if text is not None})
    else:
        every = _whole(value["every_hours"])
        if every is None or not 1 <= every <= 24:
            raise bad(_("Rounds come every 1 to 24 hours."))
        start, end = _time(value.get("from", "00:00")), _time(value.get("until", "23:59"))
        if start is None or end is None:
            raise bad(_("Times of day are written HH:MM, e.g. 09:30."))
        if _minutes(end) < _minutes(start):
            raise bad(_("The last round cannot start before the first."))
        schedule.update({"every_hours": every, "from": start, "until": end})
    schedule["window_minutes"] = window
    schedule["weekdays"] = sorted({_whole(day) for day in weekdays})
    return schedule


def start_times(schedule: dict[str, Any]) -> list[str]:
    """The day's start times of a (normalized) schedule, "HH:MM" in order."""
    if "times" in schedule:
        return list(schedule["times"])
    step, first, last = schedule["every_hours"] * 60, _minutes(schedule["from"]), _minutes(schedule["until"])
    return [f"{minute // 60:02d}:{minute % 60:02d}" for minute in range(first, last + 1, step)]


def slots(schedule: dict[str, Any], day: date) -> list[tuple[datetime, datetime]]:
    """(starts_at, due_at) of every round of ``day`` (aware, Asia/Shanghai); none on a day the schedule skips."""
    if day.isoweekday() not in schedule.get("weekdays", EVERY_DAY):
        return []
    window = timedelta(minutes=schedule.get("window_minutes", DEFAULT_WINDOW))
    return [(start, start + window) for start in (clock.at(day, text) for text in start_times(schedule))]


def describe(schedule: dict[str, Any]) -> str:
    """The schedule as staff read it (translated)."""
    if "times" in schedule:
        text = _("daily at %(times)s") % {"times": ", ".join(schedule["times"])}
    else:
        text = _("every %(hours)s h from %(first)s to %(last)s") % {
            "hours": schedule["every_hours"], "first": schedule["from"], "last": schedule["until"]}
    if schedule.get("weekdays", EVERY_DAY) != EVERY_DAY:
        names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
        text += " (" + " ".join(names[day - 1] for day in schedule["weekdays"]) + ")"
    return text + " · " + _("%(minutes)s min per round") % {"minutes": schedule.get("window_minutes", DEFAULT_WINDOW)}
