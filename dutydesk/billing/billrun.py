"""The bill run (出账): every bill of a project for a period in one transaction, set-based.

A handful of set-based statements do the work whatever the number of units: the lines are
computed once into a temporary table, the bills summed from it, then bills and lines written with
one ``INSERT ... SELECT`` each (see ``_write_bills``; 1,000,000 units: docs/scaling.md,
scripts/bench_billing.py); no Python loop touches the units. The SQL is plain enough to run on
SQLite and PostgreSQL alike; only "days between two dates" differs per backend, and PostgreSQL
draws the bill ids up front and holds what the foreign keys would check up front instead of
checking them row by row (``_references_held``).

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

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from dutydesk.archive import places
from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.core.money import money
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


def _recurring_sql(items):
    """Rows (unit_id, item_id, qty_c, price_c, days, amount_c, building_id, floor) of the recurring ``items`` (SQL
    list of ids): the unit's building and floor come with it (the unit is read for its area and status anyway)."""
    start = """CASE WHEN o.move_in IS NOT NULL AND o.move_in > (CASE WHEN uc.start > %(start)s THEN uc.start ELSE %(start)s END)
                    THEN o.move_in ELSE (CASE WHEN uc.start > %(start)s THEN uc.start ELSE %(start)s END) END"""
    end = """CASE WHEN o.move_out IS NOT NULL AND o.move_out < (CASE WHEN uc."end" IS NOT NULL AND uc."end" < %(end)s THEN uc."end" ELSE %(end)s END)
                  THEN o.move_out ELSE (CASE WHEN uc."end" IS NOT NULL AND uc."end" < %(end)s THEN uc."end" ELSE %(end)s END) END"""
    quantity = f"""CASE i.basis WHEN 'per_m2' THEN {_cents('u.area_m2')}
                                WHEN 'per_unit' THEN {_cents('uc.quantity')}
                                WHEN 'per_space' THEN COALESCE(ps.spaces, 0) * 100
                                ELSE 100 END"""
    return f"""
    SELECT w.unit_id, w.item_id, w.qty_c, w.price_c, w.days,
           (2 * w.qty_c * w.price_c * w.days * (100 - w.discount) + %(denominator)s) / (2 * %(denominator)s) AS amount_c,
           w.building_id, w.floor
    FROM (
      SELECT uc.unit_id AS unit_id, i.id AS item_id, u.building_id AS building_id, u.floor AS floor,
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
      WHERE i.id IN ({items}) AND i.active = %(true)s AND i.basis IN ('per_m2', 'per_unit', 'fixed', 'per_space')
        AND uc.start <= %(end)s AND (uc."end" IS NULL OR uc."end" >= %(start)s)
    ) w
    WHERE w.days > 0"""


def _metered_sql(items):
    """Rows (unit_id, item_id, qty_c, price_c, amount_c) of the metered ``items``: one per price tier touched."""
    return f"""
    SELECT m.unit_id, m.item_id, m.qty_c, m.price_c, (2 * m.qty_c * m.price_c + 100) / 200 AS amount_c
    FROM (
      SELECT r.unit_id AS unit_id, i.id AS item_id, t.position AS position,
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
      WHERE i.id IN ({items}) AND i.basis = 'metered' AND r.period = %(period)s AND r.usage > t.from_qty
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
    with connection.cursor() as cursor:
        bill_count, total_cents = _write_bills(cursor, params)
    _apply_credit(run, now)
    run.bills_created = bill_count
    run.total = money(Decimal(total_cents) / 100)
    run.seconds = round(time.monotonic() - started, 3)
    run.save(update_fields=["bills_created", "total", "seconds"])
    transaction.on_commit(lambda: refresh_statistics(bill_count))
    return run


# bills written by one run past which PostgreSQL's statistics of the bills are taken again once the run is committed
STATISTICS_AFTER = 10_000


def refresh_statistics(bills: int) -> None:
    """After a run of ``bills`` bills, tell PostgreSQL's planner about the new month (``ANALYZE`` of the bills; a
    sample, 0.2–0.4 s whatever the table's size). Its statistics did not know the month: it then took a project's
    600,000 new bills for one row, and the first page of the ledger read and sorted all of them (2.3 s against 17 ms
    once analysed, docs/scaling.md). Autovacuum would take them again only once a tenth of the table had changed,
    which a month of twelve is not. Small runs are left to it (a wrong plan over a few thousand bills costs
    milliseconds); so are the lines, read by their bill's id whatever the statistics say. A failure (the database
    user may not own the tables) is logged, never the run's."""
    if connection.vendor != "postgresql" or bills < STATISTICS_AFTER:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Bill._meta.db_table}")
    except DatabaseError:
        log.warning("bill run: the bills' statistics could not be taken again (ANALYZE)", exc_info=True)


def _line_sources_sql(items):
    """Every line of the run: (unit_id, kind, item_id, description, qty_c, price_c, days, amount_c,
    source_id, building_id, floor), amounts in integer cents, the unit's building and floor on the recurring
    charges' lines only; ``items``: the ids of the project's charge items, locked."""
    no_id, no_days, no_text = "CAST(NULL AS BIGINT)", "CAST(NULL AS INTEGER)", "CAST(NULL AS VARCHAR(200))"
    no_floor = "CAST(NULL AS SMALLINT)"
    return f"""
        SELECT rc.unit_id AS unit_id, 'charge' AS kind, rc.item_id AS item_id, {no_text} AS description,
               rc.qty_c AS qty_c, rc.price_c AS price_c, rc.days AS days, rc.amount_c AS amount_c, {no_id} AS source_id,
               rc.building_id AS building_id, rc.floor AS floor
        FROM ({_recurring_sql(items)}) rc
        UNION ALL
        SELECT mt.unit_id, 'metered', mt.item_id, {no_text}, mt.qty_c, mt.price_c, {no_days}, mt.amount_c, {no_id},
               {no_id}, {no_floor}
        FROM ({_metered_sql(items)}) mt WHERE mt.qty_c > 0
        UNION ALL
        SELECT oo.unit_id, 'one_off', {no_id}, oo.description, 100, {_cents('oo.amount')}, {no_days},
               {_cents('oo.amount')}, oo.source_id, {no_id}, {no_floor}
        FROM ({ONE_OFF_SQL}) oo
        UNION ALL
        SELECT lf.unit_id, 'late_fee', {no_id}, %(late_fee_label)s || ' ' || lf.late_period, 100, {_cents('lf.amount')},
               {no_days}, {_cents('lf.amount')}, lf.source_id, {no_id}, {no_floor}
        FROM ({LATE_FEE_SQL}) lf"""


# the per-unit sums (a hash entry per unit) and the joins after the staging stay in memory
JOIN_WORK_MEM = "256MB"
LINE_COLUMNS = "bill_id, kind, item_id, description, quantity, unit_price, days, amount, source_id"
BILL_COLUMNS = "project_id, unit_id, building_id, floor, run_id, period, amount, paid, status, due_date, created_at"


def _yuan(cents):
    """Integer cents as yuan: on PostgreSQL an exact numeric product, of the columns' type (a numeric division,
    computed to 20 digits and rounded back, cost 0.5 s over the 3.5M lines of 1M units); SQLite's numbers are
    floats, where the division gives the float nearest the amount."""
    return f"CAST({cents} * 0.01 AS NUMERIC(12, 2))" if connection.vendor == "postgresql" else f"{cents} / 100.0"


def _staged_line_columns():
    """A staged line: amounts in yuan as written, and in cents for the bills' sums; a recurring charge's line
    carries its unit's building and floor, for the bill."""
    return (f"s.unit_id, s.kind, s.item_id, s.description, {_yuan('s.qty_c')} AS quantity, "
            f"{_yuan('s.price_c')} AS unit_price, s.days, {_yuan('s.amount_c')} AS amount, s.amount_c, s.source_id, "
            "s.building_id, s.floor")


def _line_values(bill_id):
    """The columns of a line from its staged row ``l`` and its charge item ``i`` (which names it)."""
    return (f"{bill_id}, l.kind, l.item_id, COALESCE(l.description, i.name), l.quantity, l.unit_price, l.days, "
            "l.amount, l.source_id")


def _bill_values():
    return (f"%(project)s, b.unit_id, b.building_id, b.floor, %(run)s, %(period)s, {_yuan('b.amount_c')}, 0, "
            "CASE WHEN b.amount_c = 0 THEN 'paid' ELSE 'open' END, %(due)s, %(now)s")


STAGING_TABLES = ("bill_run_lines", "bill_run_bills")


def _write_bills(cursor, params):
    """Write the bills and lines of the run and mark the one-off charges and late fees they bill.
    Returns (number of bills, total in cents).

    Every line is computed once into a temporary table (CREATE TABLE AS, the cheapest write there
    is: no WAL, gone with the transaction), the bills are summed from it into a second one, then
    bills and lines are written with one INSERT ... SELECT each. Plain SQL for SQLite and
    PostgreSQL; on PostgreSQL the bill ids are drawn up front, and the foreign keys of the two
    inserts are not checked row by row at COMMIT when the role may switch that off
    (``_references_held``)."""
    postgres = connection.vendor == "postgresql"
    if postgres:
        _work_mem(cursor, JOIN_WORK_MEM)
        # Compiling these statements to machine code (JIT, above a plan cost these all exceed) took 0.4 s for
        # the staging alone at 1M units, and saves nothing on expressions this simple.
        cursor.execute("SET LOCAL jit = off")
    items = _charge_items(cursor, params["project"], lock=postgres)
    # Staged in unit order, so that all lines of a bill reach the bill-id index of the lines together, in
    # ascending bill ids (1M units: the sort costs 0.6 s, the lines insert saves 1.6 s). At 1M units:
    # - every per-line computation is done here and none in the lines insert (the cents to yuan: the lines
    #   insert about 2 s faster). On PostgreSQL the leader converts the rows the parallel workers compute, while
    #   they compute the next ones; converting in the workers instead measured the same on two cores;
    # - the rows are kept narrow for the sort: a charge line is named after its item when it is written
    #   (staging 8.4 → 7.0 s);
    # - the sort stays in memory with DUTYDESK_BILL_RUN_WORK_MEM (768 MB) of work_mem for this statement:
    #   ~130 bytes a line, 460 MB at 1M units, 1 MB for a project of 2,000 units. The setting is a ceiling, not
    #   an allocation; spilling to disk at 256 MB made the staging 1–2 s longer.
    if postgres:
        _work_mem(cursor, settings.DUTYDESK_BILL_RUN_WORK_MEM)
    _execute(cursor, "stage lines", f"""
        CREATE TEMPORARY TABLE bill_run_lines AS
        SELECT {_staged_line_columns()} FROM ({_line_sources_sql(items)}) s ORDER BY s.unit_id""", params)
    if postgres:
        _work_mem(cursor, JOIN_WORK_MEM)
    # One bill per unit with lines. On PostgreSQL its id is drawn from the bills' sequence here, in
    # unit order, so that the lines reach the bill-id index in ascending runs rather than at random.
    # The sequence is named once: nextval() by name costs a catalogue lookup per bill (9.5 s instead
    # of 0.9 s for 1M bills).
    bill_id = "CAST(NULL AS BIGINT)"
    if postgres:
        cursor.execute("SELECT pg_get_serial_sequence('billing_bill', 'id')")
        bill_id = f"nextval('{cursor.fetchone()[0]}'::regclass)"
    _execute(cursor, "stage bills", f"""
        CREATE TEMPORARY TABLE bill_run_bills AS
        SELECT {bill_id} AS id, g.unit_id AS unit_id, g.building_id AS building_id, g.floor AS floor,
               g.amount_c AS amount_c
        FROM (SELECT unit_id, MAX(building_id) AS building_id, MAX(floor) AS floor, SUM(amount_c) AS amount_c
              FROM bill_run_lines GROUP BY unit_id ORDER BY unit_id) g""",
             params)
    # Where each bill's unit is: from its recurring charges' lines (the units were read for them; joining the
    # bills to their units here cost 1–3 s at 1M units), and for a unit billed for none, from the unit
    _execute(cursor, "bills placed", places.fill_sql("bill_run_bills", connection.vendor, unplaced_only=True), params)
    cursor.execute("SELECT COUNT(*), SUM(amount_c) FROM bill_run_bills")
    bill_count, total_cents = cursor.fetchone()
    skip_row_triggers = postgres and _references_held(cursor)
    if postgres:
        cursor.execute("ANALYZE bill_run_lines")
        cursor.execute("ANALYZE bill_run_bills")
    if skip_row_triggers:
        cursor.execute("SET LOCAL session_replication_role = replica")  # for the two inserts only
    if postgres:
        _execute(cursor, "bills", f"""
            INSERT INTO billing_bill (id, {BILL_COLUMNS}) SELECT b.id, {_bill_values()} FROM bill_run_bills b""", params)
    else:
        _execute(cursor, "bills", f"""
            INSERT INTO billing_bill ({BILL_COLUMNS}) SELECT {_bill_values()} FROM bill_run_bills b""", params)
        _execute(cursor, "bill ids", """
            UPDATE bill_run_bills SET id = (SELECT b.id FROM billing_bill b
                                            WHERE b.unit_id = bill_run_bills.unit_id AND b.period = %(period)s)""",
                 params)
    _execute(cursor, "lines", f"""
        INSERT INTO billing_billline ({LINE_COLUMNS})
        SELECT {_line_values("b.id")} FROM bill_run_lines l JOIN bill_run_bills b ON b.unit_id = l.unit_id
        LEFT JOIN billing_chargeitem i ON i.id = l.item_id""", params)
    if skip_row_triggers:  # (after an error the rollback restores it)
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    # mark what was billed: exactly the rows that got a line in this run
    _execute(cursor, "one-offs billed", """
        UPDATE billing_oneoffcharge SET billed_at = %(now)s
        WHERE id IN (SELECT source_id FROM bill_run_lines WHERE kind = 'one_off')""", params)
    _execute(cursor, "late fees billed", """
        UPDATE billing_latefee SET status = 'billed',
          billed_on_id = (SELECT b.id FROM billing_bill b WHERE b.period = %(period)s AND b.unit_id =
                            (SELECT e.unit_id FROM billing_bill e WHERE e.id = billing_latefee.bill_id))
        WHERE id IN (SELECT source_id FROM bill_run_lines WHERE kind = 'late_fee')""", params)
    for name in STAGING_TABLES:
        cursor.execute(f"DROP TABLE {name}")
    return bill_count, total_cents or 0


def _work_mem(cursor, size):
    """PostgreSQL's ``work_mem`` for the rest of the run's transaction; ``size`` such as 256MB (the configured
    DUTYDESK_BILL_RUN_WORK_MEM is checked when the settings load)."""
    cursor.execute("SELECT set_config('work_mem', %s, true)", [size])


def _charge_items(cursor, project_id, lock):
    """The ids of the project's charge items, as an SQL list; ``lock``: locked ``FOR KEY SHARE`` (the lock a
    foreign-key check takes) until the run commits, so that no item its lines name can be deleted meanwhile.
    The lines are computed from these items only: an item created while the run starts waits for the next run."""
    cursor.execute(f"SELECT id FROM billing_chargeitem WHERE project_id = %s ORDER BY id{' FOR KEY SHARE' if lock else ''}",
                   [project_id])
    return ", ".join(str(int(item_id)) for (item_id,) in cursor.fetchall()) or "NULL"


def _references_held(cursor):
    """Whether the run may switch off the per-row foreign-key triggers of its two bulk inserts (one
    queued event per row and key, then one lookup and lock each at COMMIT: half of the run's time at
    1M units) for its own transaction (``session_replication_role``). It may because what those
    checks would find is already held until it commits:

    - the project row, locked ``FOR UPDATE`` by the run; deleting a unit of the project waits for it
      (a trigger, archive migration 0006), so every unit billed exists until the run commits and a
      deletion that waited then fails on the new bills (before: 1,000,000 unit rows locked one by one,
      1.3 s);
    - the project's charge items, locked ``FOR KEY SHARE`` (``_charge_items``);
    - the run, the bills and their ids: this transaction's own.

    The role needs the right to: superusers, and on PostgreSQL 15+ a role granted
    ``GRANT SET ON PARAMETER session_replication_role TO <role>``. Otherwise the run keeps the
    triggers (same result, the checks then run row by row at COMMIT)."""
    if connection.pg_version >= 150000:
        cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
    else:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    return bool(cursor.fetchone()[0])


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
