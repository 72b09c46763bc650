"""A reporting period: a calendar month in the project's time zone, written ``YYYY-MM`` in URLs, forms and the API.

``Period.parse`` is the one parser of that text: a bad month is a ``BusinessRuleError`` on the field (each endpoint
may word the message its own way); ``Period.parse_or_none`` is for pages that ignore a bad ``?period=``."""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError

_PERIOD = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Period:
    start: date  # first day of the month
    end: date  # first day of the next month (exclusive)

    @classmethod
    def month_of(cls, day: date) -> "Period":
        start = day.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
        return cls(start, end)

    @classmethod
    def parse(cls, value: object, field: str = "period", message: str | None = None) -> "Period":
        """A Period from 'YYYY-MM' (blanks around it ignored), a date, or a Period; anything else raises
        ``BusinessRuleError({field: [message]})``, by default "Give the month as YYYY-MM."."""
        if isinstance(value, Period):
            return value
        if isinstance(value, date):
            return cls.month_of(value)
        found = cls.parse_or_none(value)
        if found is None:
            raise BusinessRuleError({field: [message or _("Give the month as YYYY-MM.")]})
        return found

    @classmethod
    def parse_or_none(cls, value: object) -> "Period | None":
        """The Period of a 'YYYY-MM' text, ``None`` for empty or bad text."""
        match = _PERIOD.fullmatch(str(value or "").strip())
        if not match:
            return None
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12 or not 1 <= year < 9999:  # 9999-12 would end in year 10000
            return None
        return cls.month_of(date(year, month, 1))

    @classmethod
    def current(cls) -> "Period":
        return cls.month_of(clock.today())

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end, time.min))

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def previous(self) -> "Period":
        return Period.month_of(self.start - timedelta(days=1))

    def __str__(self) -> str:
        return self.label
