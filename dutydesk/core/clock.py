"""One place to ask for the time, so that sweeps and SLA clocks can be driven by a fake clock
in tests (time-machine moves it) and by ``--now`` on the scheduler command."""
from datetime import date, datetime, time

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def local_now() -> datetime:
    return timezone.localtime(now())


def today() -> date:
    return local_now().date()


def at(day: date, hhmm: str | time) -> datetime:
    """An aware datetime in the project's time zone for a date and a 'HH:MM' or time."""
    if isinstance(hhmm, str):
        hours, minutes = (int(part) for part in hhmm.split(":"))
        hhmm = time(hours, minutes)
    return timezone.make_aware(datetime.combine(day, hhmm))
