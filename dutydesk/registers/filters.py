"""The list filters of register entries, shared by the API and the pages: ``from`` / ``to`` (dates, inclusive),
``period`` (YYYY-MM), ``status``, ``recorded_by``; a bad value is the parameter's 400."""
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.core.errors import BusinessRuleError
from dutydesk.core.periods import Period
from dutydesk.registers import selectors
from dutydesk.registers.models import Entry
from dutydesk.web.params import int_param


def entries_in_window(entries: QuerySet[Entry], params: Any) -> QuerySet[Entry]:
    """``from`` / ``to`` (dates, inclusive), ``period`` (YYYY-MM), ``status``, ``recorded_by`` of a list request."""
    bounds = {}
    for name in ("from", "to"):
        if params.get(name):
            try:
                bounds[name] = date.fromisoformat(str(params[name]))
            except ValueError:
                raise BusinessRuleError({name: [_("Enter a date as YYYY-MM-DD.")]}) from None
    start = timezone.make_aware(datetime.combine(bounds["from"], time())) if "from" in bounds else None
    end = timezone.make_aware(datetime.combine(bounds["to"] + timedelta(days=1), time())) if "to" in bounds else None
    entries = selectors.entries_between(entries, start, end)
    if params.get("period"):
        period = Period.parse(params["period"], "period", message=_("Give the period as YYYY-MM."))
        entries = selectors.entries_between(entries, period.start_at, period.end_at)
    if params.get("status"):
        if params["status"] not in Entry.Status.values:
            raise BusinessRuleError({"status": [_("status must be open or finished.")]})
        entries = entries.filter(status=params["status"])
    recorded_by = int_param(params, "recorded_by", error=_("recorded_by must be a user id."))
    if recorded_by is not None:
        entries = entries.filter(recorded_by_id=recorded_by)
    return entries
