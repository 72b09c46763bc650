"""SLA clocks in the project's service calendar.

The rule (docs/decisions.md "tickets"):
- The service window is the project's ``service_start``–``service_end`` (default 09:00–24:00,
  ``00:00`` = midnight; an end before the start runs past midnight), every day (seeds/002_59da8478c28f7f86.txt:1118 篇6:
  "每天服务时间9:00-24:00"). Outside the window the clock stands still.
- ``minutes`` / ``hours`` targets count service time on every day of the year, public holidays
  included, because the desk is staffed every day.
- ``working_days`` targets (seeds/000_d44081c6db2527f0.txt:245 篇11: a complaint is closed within 3 days) count N full service
  windows on working days only: mainland-China public holidays and ordinary weekends are skipped,
  make-up working days (调休) count (``dutydesk.core.workdays``).
- ``same_day`` (seeds/000_d44081c6db2527f0.txt:362 篇16: issues raised get a reply the same day) ends with the service window
  in which the ticket arrives (or the next window, if it arrives outside service hours).
- On hold the clock pauses: on resume each due time moves on by the service time paused, counted in
  the same calendar as its target.
"""
from datetime import datetime, time, timedelta

from django.utils import timezone

from dutydesk.core.workdays import is_working_day

EVERY_DAY = "every_day"
WORKING_DAYS = "working_days"
MAX_DAYS = 800  # safety bound of the day loop


def _time(value):
    return value if isinstance(value, time) else time.fromisoformat(str(value))


def _window(project, day):
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, _time(project.service_start)), tz)
    end = timezone.make_aware(datetime.combine(day, _time(project.service_end)), tz)
    if end <= start:  # 00:00 = midnight; 22:00–06:00 runs over midnight
        end += timedelta(days=1)
    return start, end


def window_minutes(project):
    start, end = _window(project, timezone.localdate())
    return int((end - start).total_seconds() // 60)


def _windows_from(project, moment, calendar):
    """Service windows (start, end) that end after ``moment``, clipped to start at ``moment``."""
    day = timezone.localtime(moment).date() - timedelta(days=1)  # yesterday's window may run past midnight
    for offset in range(MAX_DAYS):
        current = day + timedelta(days=offset)
        if calendar == WORKING_DAYS and not is_working_day(current):
            continue
        start, end = _window(project, current)
        if end <= moment:
            continue
        yield max(start, moment), end
    raise RuntimeError("no service window found")  # pragma: no cover - only with a broken calendar


def add_service_minutes(project, start, minutes, calendar=EVERY_DAY):
    """The moment ``minutes`` of service time after ``start``."""
    remaining = timedelta(minutes=minutes)
    for window_start, window_end in _windows_from(project, start, calendar):
        available = window_end - window_start
        if remaining <= available:
            return window_start + remaining
        remaining -= available


def service_minutes_between(project, start, end, calendar=EVERY_DAY):
    """Service time (minutes) between two moments."""
    if end <= start:
        return 0
    total = timedelta()
    for window_start, window_end in _windows_from(project, start, calendar):
        if window_start >= end:
            break
        total += min(window_end, end) - window_start
    return int(total.total_seconds() // 60)


def end_of_service_day(project, moment):
    """The end of the service window ``moment`` falls in, or of the next one."""
    _start, end = next(_windows_from(project, moment, EVERY_DAY))
    return end


def calendar_of(unit):
    return WORKING_DAYS if unit == "working_days" else EVERY_DAY


def due(project, start, amount, unit):
    """The due time of a target ``amount`` ``unit`` (an SLAPolicy.Unit value) from ``start``."""
    if unit == "same_day":
        return end_of_service_day(project, start)
    if unit == "working_days":
        return add_service_minutes(project, start, amount * window_minutes(project), WORKING_DAYS)
    minutes = amount * 60 if unit == "hours" else amount
    return add_service_minutes(project, start, minutes, EVERY_DAY)


def shift(project, due_at, paused_from, paused_to, unit):
    """Move ``due_at`` on by the service time paused between the two moments (hold → resume)."""
    if due_at is None:
        return None
    calendar = calendar_of(unit)
    paused = service_minutes_between(project, paused_from, paused_to, calendar)
    if paused <= 0:
        return due_at
    return add_service_minutes(project, due_at, paused, calendar)
