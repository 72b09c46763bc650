"""Working days of mainland China: public holidays and make-up working days (调休) come from the
maintained ``chinesecalendar`` package; outside the years it covers we fall back to Mon–Fri."""
from datetime import date, timedelta

import chinese_calendar


def is_working_day(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # year not covered by the package yet
        return day.weekday() < 5


def is_public_holiday(day: date) -> bool:
    """A statutory holiday (not an ordinary weekend)."""
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return False
    return on_holiday and name is not None


def next_working_day(day: date) -> date:
    """The day itself if it is a working day, else the next one (seeds/003_8a370fd4b7ddc47d.txt:33: 节假日顺延)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` ("3个工作日内" from a Friday: the Wednesday after)."""
    for _ in range(count):
        day = next_working_day(day + timedelta(days=1))
    return day
