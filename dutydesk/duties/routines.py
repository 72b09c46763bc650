"""When a routine falls due: pure functions, no database.

A routine of the post catalogue (org.Routine) becomes tasks on these days:

- ``daily``: every calendar day (service runs 09:00–24:00 every day, seeds/002_59da8478c28f7f86.txt:1118 篇6), due at ``at``.
- ``weekly``: on ``weekday`` (1=Mon … 7=Sun) of every ISO week.
- ``times_per_week``: N fixed days of every ISO week, spread evenly (``SPREAD`` below): 1 → Mon,
  2 → Tue/Thu, 3 → Mon/Wed/Fri, 4 → Mon/Tue/Thu/Fri, 5 → Mon–Fri, 6 → Mon–Sat, 7 → every day.
- ``every_n_days``: every N days counted from the fixed epoch ``EPOCH`` (Monday 2024-01-01), so the
  cycle does not depend on when the scheduler started (seeds/000_d44081c6db2527f0.txt:165 篇4: the 2-day visit cycle).
- ``monthly``: once a month, due on day D ("before the 5th" = on the 5th at the latest); when that
  day is a public holiday or a weekend it moves to the next working day (seeds/003_8a370fd4b7ddc47d.txt:33: 节假日顺延),
  using mainland China's holidays and make-up working days (dutydesk.core.workdays).

An *occurrence* is ``(key_date, due_date)``: ``key_date`` names the occurrence in the task's
``source_key`` (the due day; for monthly routines the 1st of the month, so a holiday shift never
changes the key) and ``due_date`` is the day the task is due at ``routine.at``.

Release (when the scheduler creates the task): daily and every-N-days tasks on their day; weekly
and N-times-a-week tasks on the first tick of their ISO week (so the week's work shows as
upcoming); monthly tasks on the first tick of the month. Occurrences already past due when they
would be released (e.g. the system was installed mid-month) are not created.
"""
import calendar as _calendar
from datetime import date, timedelta

from dutydesk.core.workdays import next_working_day

EPOCH = date(2024, 1, 1)  # a Monday; anchor of every_n_days cycles
SPREAD = {1: [1], 2: [2, 4], 3: [1, 3, 5], 4: [1, 2, 4, 5], 5: [1, 2, 3, 4, 5], 6: [1, 2, 3, 4, 5, 6],
          7: [1, 2, 3, 4, 5, 6, 7]}


def monthly_due_date(year, month, day):
    """Day ``day`` of the month (the last day if the month is shorter), moved to the next working
    day over weekends and public holidays (seeds/003_8a370fd4b7ddc47d.txt:33: 节假日顺延)."""
    last = _calendar.monthrange(year, month)[1]
    return next_working_day(date(year, month, min(max(day or 1, 1), last)))


def weekdays_of(routine):
    """ISO weekdays (1=Mon) a weekly or times-per-week routine falls on."""
    if routine.schedule == "weekly":
        return [routine.weekday or 5]
    times = min(max(routine.times or 1, 1), 7)
    return SPREAD[times]


def occurrences_released_on(routine, day):
    """The occurrences of ``routine`` the scheduler creates on ``day``: ``[(key_date, due_date)]``
    with ``due_date >= day``. Calling it on every day of a period releases each occurrence exactly
    once or several times (the caller's ``source_key`` makes creation idempotent)."""
    schedule = routine.schedule
    if schedule == "daily":
        return [(day, day)]
    if schedule == "every_n_days":
        every = max(routine.every or 1, 1)
        return [(day, day)] if (day - EPOCH).days % every == 0 else []
    if schedule in ("weekly", "times_per_week"):
        monday = day - timedelta(days=day.isoweekday() - 1)
        dates = [monday + timedelta(days=weekday - 1) for weekday in weekdays_of(routine)]
        return [(d, d) for d in dates if d >= day]
    if schedule == "monthly":
        first = day.replace(day=1)
        due = monthly_due_date(day.year, day.month, routine.day)
        return [(first, due)] if due >= day else []
    return []
