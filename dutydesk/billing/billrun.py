"""The bill run (出账): every bill of a project for a period in one transaction, set-based.

A handful of ``INSERT ... SELECT`` / ``UPDATE`` statements do the work whatever the number of
units (200,000 units take seconds on PostgreSQL, see scripts/bench_billing.py); no Python loop
touches the units. The SQL is plain enough to run on SQLite and PostgreSQL alike; only "days
between two dates" differs per backend.

Rules (also in docs/decisions.md):
- Bills are issued in advance for the period month and fall due on the project's due day
  (``BillingPolicy.due_day``, default the 15th) of that month.
- A recurring item is billed for the days of the month inside both the unit charge's window
  (``start``..``end``) and the unit's occupancy: from the payers' (owner/tenant) move-in date,
  and until their move-out date once every payer of the unit has one. Units without payer
  records are billed by the charge window only. Pro-rating: monthly amount × days ÷ days of
  the month, rounded half-up to the cent; a vacant unit gets the unit charge's vacant discount.
- Money is computed in integer cents, so SQLite and PostgreSQL round identically.
- Metered items bill the period's reading usage, one line per price tier touched.
- Unbilled one-off charges (paid services from work orders) and accrued late fees of earlier
  bills go onto the unit's bill; prepaid credit is applied to the new bills.
"""
import calendar
import logging
import time
from datetime import date, datetime, time as dtime, timedelta

from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.billing.models import Bill, BillingPolicy, BillRun, CreditEntry, UnitCredit

log = logging.getLogger("dutydesk.billing.run")


def period_bounds(period):
    year, month = (int(part) for part in period.split("-"))
    days = calendar.monthrange(year, month)[1]
    return date(year, month, 1), date(year, month, days), days


def _days_between(later, earlier):
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _cents(expression):
    return f"CAST(ROUND(({expression}) * 100) AS BIGINT)"


def _recurring_sql():
    """Rows (unit_id, item_id, name, qty_c, price_c, days, amount_c) of the recurring items."""
    start = """CASE WHEN o.move_in IS NOT NULL AND o.move_in > (CASE WHEN uc.start > %(start)s THEN uc.start ELSE %(start)s END)
                    THEN o.move_in ELSE (CASE WHEN uc.start > %(start)s THEN uc.start ELSE %(start)s END) END"""
    end = """CASE WHEN o.move_out IS NOT NULL AND o.move_out < (CASE WHEN uc."end" IS NOT NULL AND uc."end" < %(end)s THEN uc."end" ELSE %(end)s END)
                  THEN o.move_out ELSE (CASE WHEN uc."end" IS NOT NULL AND uc."end" < %(end)s THEN uc."end" ELSE %(end)s END) END"""
    quantity = f"""CASE i.basis WHEN 'per_m2' THEN {_cents('u.area_m2')}
                                WHEN 'per_unit' THEN {_cents('uc.quantity')}
                                WHEN 'per_space' THEN COALESCE(ps.spaces, 0) * 100
                                ELSE 100 END"""
    return f"""
    SELECT w.unit_id, w.item_id, w.name, w.qty_c, w.price_c, w.days,
           (2 * w.qty_c * w.price_c * w.days * (100 - w.discount) + %(denominator)s) / (2 * %(denominator)s) AS amount_c
    FROM (
      SELECT uc.unit_id AS unit_id, i.id AS item_id, i.name AS name,
             {quantity} AS qty_c,
             {_cents('COALESCE(uc.unit_price, i.unit_price)')} AS price_c,
             CASE WHEN u.status = 'vacant' THEN uc.vacant_discount_percent ELSE 0 END AS discount,
             {_days_between(f'({end})', f'({start})')} + 1 AS days
      FROM billing_unitcharge uc
      JOIN billing_chargeitem i ON i.id = uc.item_id
      JOIN archive_unit u ON u.id = uc.unit_id
      LEFT JOIN (
        SELECT r.unit_id AS unit_id,
               CASE WHEN COUNT(*) = COUNT(r.move_in_date) THEN MIN(r.move_in_date) END AS move_in,
               CASE WHEN COUNT(*) = COUNT(r.move_out_date) THEN MAX(r.move_out_date) END AS move_out
        FROM archive_resident r JOIN archive_unit ru ON ru.id = r.unit_id
        WHERE ru.project_id = %(project)s AND r.role IN ('owner', 'tenant')
        GROUP BY r.unit_id
      ) o ON o.unit_id = uc.unit_id
      LEFT JOIN (
        SELECT p.unit_id AS unit_id, COUNT(*) AS spaces FROM archive_parkingspace p
        WHERE p.project_id = %(project)s AND p.unit_id IS NOT NULL GROUP BY p.unit_id
      ) ps ON ps.unit_id = uc.unit_id
      WHERE i.project_id = %(project)s AND i.active = %(true)s AND i.basis IN ('per_m2', 'per_unit', 'fixed', 'per_space')
        AND uc.start <= %(end)s AND (uc."end" IS NULL OR uc."end" >= %(start)s)
    ) w
    WHERE w.days > 0"""


METERED_SQL = """
    SELECT m.unit_id, m.item_id, m.name, m.qty_c, m.price_c, (2 * m.qty_c * m.price_c + 100) / 200 AS amount_c
    FROM (
      SELECT r.unit_id AS unit_id, i.id AS item_id, i.name AS name, t.position AS position,
             CAST(ROUND(((CASE WHEN t.up_to IS NULL OR r.usage < t.up_to THEN r.usage ELSE t.up_to END) - t.from_qty) * 100) AS BIGINT) AS qty_c,
             CAST(ROUND(t.price * 100) AS BIGINT) AS price_c
      FROM billing_meterreading r
      JOIN billing_chargeitem i ON i.id = r.item_id
      JOIN (
        SELECT item_id, position, from_qty, up_to, price FROM billing_chargetier
        UNION ALL
        SELECT ci.id, 0, 0, NULL, ci.unit_price FROM billing_chargeitem ci
        WHERE ci.basis = 'metered' AND NOT EXISTS (SELECT 1 FROM billing_chargetier ct WHERE ct.item_id = ci.id)
      ) t ON t.item_id = r.item_id
      WHERE i.project_id = %(project)s AND i.basis = 'metered' AND r.period = %(period)s AND r.usage > t.from_qty
    ) m"""

ONE_OFF_SQL = """
    SELECT c.unit_id AS unit_id, c.id AS source_id, c.description AS description, c.amount AS amount
    FROM billing_oneoffcharge c
    WHERE c.project_id = %(project)s AND c.billed_at IS NULL AND c.created_at < %(next_month)s"""

LATE_FEE_SQL = """
    SELECT b.unit_id AS unit_id, lf.id AS source_id, lf.amount AS amount, b.period AS late_period
    FROM billing_latefee lf JOIN billing_bill b ON b.id = lf.bill_id
    WHERE b.project_id = %(project)s AND lf.status = 'accruing' AND lf.amount > 0 AND b.period < %(period)s"""


def bill_run_create(*, project, period, user=None, late_fee_label="滞纳金"):
    """Run the bills of ``project`` for ``period`` ("YYYY-MM"). Returns ``(run, created)``;
    a second call for the same project and period returns the existing run and creates nothing."""
    if isinstance(project, int):
        project = Project.objects.get(pk=project)
    existing = BillRun.objects.filter(project=project, period=period).first()
    if existing:
        return existing, False
    try:
        return _run(project, period, user, late_fee_label), True
    except (_RunExists, IntegrityError):  # a concurrent run won the unique (project, period)
        existing = BillRun.objects.filter(project=project, period=period).first()
        if existing is None:
            raise
        return existing, False


class _RunExists(Exception):
    pass


@transaction.atomic
def _run(project, period, user, late_fee_label):
    started = time.monotonic()
    Project.objects.select_for_update().filter(pk=project.pk).first()  # one run per project at a time
    existing = BillRun.objects.filter(project=project, period=period).first()
    if existing:
        raise _RunExists()
    policy, _ = BillingPolicy.objects.get_or_create(project=project)
    month_start, month_end, days_in_month = period_bounds(period)
    now = clock.now()
    run = BillRun.objects.create(project=project, period=period, created_by=user)
    params = {
        "project": project.pk, "period": period, "run": run.pk, "start": month_start, "end": month_end,
        "denominator": 100 * days_in_month * 100, "true": True, "now": now,
        "due": month_start.replace(day=min(policy.due_day, days_in_month)),
        "next_month": timezone.make_aware(datetime.combine(month_end + timedelta(days=1), dtime.min)),
        "late_fee_label": late_fee_label,
    }
    recurring = _recurring_sql()
    line_sources = f"""
        SELECT rc.unit_id AS unit_id, rc.amount_c AS amount_c FROM ({recurring}) rc
        UNION ALL SELECT mt.unit_id, mt.amount_c FROM ({METERED_SQL}) mt WHERE mt.qty_c > 0
        UNION ALL SELECT oo.unit_id, {_cents('oo.amount')} FROM ({ONE_OFF_SQL}) oo
        UNION ALL SELECT lf.unit_id, {_cents('lf.amount')} FROM ({LATE_FEE_SQL}) lf"""
    with connection.cursor() as cursor:
        # the bills, with amount = the sum of the lines inserted next (both in integer cents)
        _execute(cursor, "bills", f"""
            INSERT INTO billing_bill (project_id, unit_id, run_id, period, amount, paid, status, due_date, created_at)
            SELECT %(project)s, x.unit_id, %(run)s, %(period)s, SUM(x.amount_c) / 100.0, 0,
                   CASE WHEN SUM(x.amount_c) = 0 THEN 'paid' ELSE 'open' END, %(due)s, %(now)s
            FROM ({line_sources}) x GROUP BY x.unit_id""", params)
        _execute(cursor, "recurring lines", f"""
            INSERT INTO billing_billline (bill_id, kind, item_id, description, quantity, unit_price, days, amount, source_id)
            SELECT b.id, 'charge', rc.item_id, rc.name, rc.qty_c / 100.0, rc.price_c / 100.0, rc.days, rc.amount_c / 100.0, NULL
            FROM ({recurring}) rc JOIN billing_bill b ON b.unit_id = rc.unit_id AND b.period = %(period)s""", params)
        _execute(cursor, "metered lines", f"""
            INSERT INTO billing_billline (bill_id, kind, item_id, description, quantity, unit_price, days, amount, source_id)
            SELECT b.id, 'metered', mt.item_id, mt.name, mt.qty_c / 100.0, mt.price_c / 100.0, NULL, mt.amount_c / 100.0, NULL
            FROM ({METERED_SQL}) mt JOIN billing_bill b ON b.unit_id = mt.unit_id AND b.period = %(period)s
            WHERE mt.qty_c > 0""", params)
        _execute(cursor, "one-off lines", f"""
            INSERT INTO billing_billline (bill_id, kind, item_id, description, quantity, unit_price, days, amount, source_id)
            SELECT b.id, 'one_off', NULL, oo.description, 1, oo.amount, NULL, oo.amount, oo.source_id
            FROM ({ONE_OFF_SQL}) oo JOIN billing_bill b ON b.unit_id = oo.unit_id AND b.period = %(period)s""", params)
        _execute(cursor, "late-fee lines", f"""
            INSERT INTO billing_billline (bill_id, kind, item_id, description, quantity, unit_price, days, amount, source_id)
            SELECT b.id, 'late_fee', NULL, %(late_fee_label)s || ' ' || lf.late_period, 1, lf.amount, NULL, lf.amount, lf.source_id
            FROM ({LATE_FEE_SQL}) lf JOIN billing_bill b ON b.unit_id = lf.unit_id AND b.period = %(period)s""", params)
        # mark what was billed: only the rows that really got a line in this run
        _execute(cursor, "one-offs billed", """
            UPDATE billing_oneoffcharge SET billed_at = %(now)s
            WHERE id IN (SELECT l.source_id FROM billing_billline l JOIN billing_bill b ON b.id = l.bill_id
                         WHERE b.run_id = %(run)s AND l.kind = 'one_off')""", params)
        _execute(cursor, "late fees billed", """
            UPDATE billing_latefee SET status = 'billed',
              billed_on_id = (SELECT b.id FROM billing_billline l JOIN billing_bill b ON b.id = l.bill_id
                              WHERE b.run_id = %(run)s AND l.kind = 'late_fee' AND l.source_id = billing_latefee.id)
            WHERE id IN (SELECT l.source_id FROM billing_billline l JOIN billing_bill b ON b.id = l.bill_id
                         WHERE b.run_id = %(run)s AND l.kind = 'late_fee')""", params)
    _apply_credit(run, now)
    totals = Bill.objects.filter(run=run).aggregate(count=Count("id"), total=Sum("amount"))
    run.bills_created = totals["count"]
    run.total = (totals["total"] or Decimal("0")).quantize(Decimal("0.01"))
    run.seconds = round(time.monotonic() - started, 3)
    run.save(update_fields=["bills_created", "total", "seconds"])
    return run


def _execute(cursor, label, sql, params):
    started = time.monotonic()
    cursor.execute(sql, params)
    log.debug("bill run %s: %s rows in %.2f s", label, cursor.rowcount, time.monotonic() - started)


def _apply_credit(run, now):
    """Prepaid credit pays the new bills. Only the units holding credit are touched (locked)."""
    credits = list(UnitCredit.objects.select_for_update().filter(unit__project_id=run.project_id, balance__gt=0)
                   .order_by("unit_id"))
    if not credits:
        return
    bills = {b.unit_id: b for b in Bill.objects.filter(run=run, unit_id__in=[c.unit_id for c in credits], amount__gt=0)}
    entries, changed_bills, changed_credits = [], [], []
    for credit in credits:
        bill = bills.get(credit.unit_id)
        if bill is None:
            continue
        applied = min(credit.balance, bill.amount)
        bill.paid = applied
        bill.status = Bill.Status.PAID if applied >= bill.amount else Bill.Status.PARTIAL
        credit.balance -= applied
        entries.append(CreditEntry(unit_id=credit.unit_id, kind=CreditEntry.Kind.APPLIED, amount=-applied, bill=bill,
                                   created_at=now))
        changed_bills.append(bill)
        changed_credits.append(credit)
    CreditEntry.objects.bulk_create(entries)
    Bill.objects.bulk_update(changed_bills, ["paid", "status"])
    UnitCredit.objects.bulk_update(changed_credits, ["balance"])
