"""A reporting period: a calendar month in the project's time zone (API: ``YYYY-MM``)."""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dutydesk.core import clock
from dutydesk.core.api import BusinessRuleError

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    start: date  # first day of the month
    end: date  # first day of the next month (exclusive)

    @classmethod
    def month_of(cls, day):
        start = day.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
        return cls(start, end)

    @classmethod
    def parse(cls, value, field="period"):
        """A Period from 'YYYY-MM', a date, or a Period; bad text -> 400 with a field error."""
        if isinstance(value, Period):
            return value
        if isinstance(value, date):
            return cls.month_of(value)
        match = _PERIOD.match(str(value or "").strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            from django.utils.translation import gettext as _

            raise BusinessRuleError({field: [_("Give the month as YYYY-MM.")]})
        return cls.month_of(date(int(match.group(1)), int(match.group(2)), 1))

    @classmethod
    def current(cls):
        return cls.month_of(clock.today())

    @property
    def label(self):
        return f"{self.start:%Y-%m}"

    @property
    def start_at(self):
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self):
        return timezone.make_aware(datetime.combine(self.end, time.min))

    @property
    def days(self):
        return (self.end - self.start).days

    def previous(self):
        return Period.month_of(self.start - timedelta(days=1))

    def __str__(self):
        return self.label
