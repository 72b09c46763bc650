"""The register KPI source (dutydesk.org.kpis): a catalogue KPI with ``source: register`` reads the entries of
its ``register``; ``measure`` says what of them: ``count`` (entries recorded in the month), ``on_time_rate``
(finished within the register's time standard ÷ finished, in %), ``sum:<field>`` / ``avg:<field>`` (a number or
money field). A card is about the entries its staff recorded in the card's project and month; none → no data."""
from decimal import Decimal

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from dutydesk.org import kpis
from dutydesk.org.kpis import CardKey, Cards, Measurement
from dutydesk.org.models import KPI, Register
from dutydesk.registers import selectors


@kpis.source("register", _("a register's entries"))
def register_measure(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    group = [kpi for kpi in group if kpi.register_id is not None]
    register_of: dict[int, int] = {kpi.pk: kpi.register_id for kpi in group if kpi.register_id is not None}
    people = cards.all_staff(group)
    if not group or not people:
        return {}
    period = cards.period
    counts = selectors.counts_by_person(sorted(set(register_of.values())), cards.project, period, people)
    fields = {}  # one GROUP BY per (register, field) a sum/avg KPI reads: constant in holders and units
    for kpi in group:
        kind, _sep, field_code = kpi.measure.partition(":")
        if kind in ("sum", "avg") and (register_of[kpi.pk], field_code) not in fields:
            fields[register_of[kpi.pk], field_code] = selectors.field_totals_by_person(
                register_of[kpi.pk], field_code, cards.project, period, people)
    codes = dict(Register.objects.filter(pk__in=set(register_of.values())).values_list("pk", "code"))
    results = {}
    for kpi, user_id in cards.each(group):
        staff = cards.staff(kpi.post_id, user_id)
        entries, finished, on_time = kpis.add_up(counts, [(kpi.register_id, person) for person in staff], 3)
        kind, _sep, field_code = kpi.measure.partition(":")
        if kind == "count":
            actual = Decimal(entries) if entries else None
        elif kind == "on_time_rate":
            actual = kpis.percent(on_time, finished)
        else:
            total, valued = kpis.add_up(fields[register_of[kpi.pk], field_code], staff, 2)
            actual = (Decimal(total) if kind == "sum" else Decimal(total) / valued) if valued else None
        if actual is not None:
            query = {"project": getattr(cards.project, "pk", cards.project), "period": period.label}
            if user_id is not None:
                query["recorded_by"] = user_id
            url = f"{reverse('registers:entries', args=[codes[register_of[kpi.pk]]])}?{urlencode(query)}"
            results[kpi.pk, user_id] = Measurement(actual, url)
    return results
