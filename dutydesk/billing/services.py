"""Billing writes: keyword-only functions, one verb each, each in one transaction."""
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import F, Min, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import override

from dutydesk.archive.models import Project, Resident, Unit
from dutydesk.archive.selectors import ledger_order
from dutydesk.billing import billrun
from dutydesk.billing.models import (Adjustment, Bill, BillingPolicy, BillLine, ChargeItem, ChargeTier, CreditEntry,
                                     BillRun, DunningNotice, DunningRun, LateFee, MeterReading, OneOffCharge,
                                     Payment, PaymentReversal, Receipt, ReceiptCounter, UnitCredit)
from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.money import money
from dutydesk.core.services import notify
from dutydesk.inbox.models import Task
from dutydesk.inbox.services import task_create_once
from dutydesk.org.models import Post
from dutydesk.org.selectors import butler_holdings

# a reading whose usage is above this many times the unit's average of its last 3 periods,
# and above the minimum, needs the clerk's confirmation
JUMP_FACTOR = Decimal("3")
JUMP_MIN_USAGE = Decimal("10")


# --- charge items -------------------------------------------------------------------------

def _clean_tiers(tiers: Sequence[Mapping[str, Any]] | None) -> list[tuple[Decimal, Decimal | None, Decimal]]:
    """``[{up_to, price}, ...]`` ascending, the last ``up_to`` may be null (no upper bound)."""
    tiers = tiers or []
    cleaned, lower = [], Decimal("0")
    for index, tier in enumerate(tiers):
        try:
            up_to = None if tier.get("up_to") in (None, "") else Decimal(str(tier["up_to"]))
            price = money(str(tier["price"]))
        except (KeyError, ArithmeticError, AttributeError, TypeError, ValueError):
            raise BusinessRuleError({"tiers": [_("Each tier needs up_to (a number or null) and price.")]})
        if price < 0 or (up_to is not None and up_to <= lower) or (up_to is None and index != len(tiers) - 1):
            raise BusinessRuleError({"tiers": [_("Tiers must rise, and only the last may have no upper bound.")]})
        cleaned.append((lower, up_to, price))
        lower = up_to if up_to is not None else lower
    return cleaned


@transaction.atomic
def charge_item_save(*, project: Project, code: str, name: str, basis: str, unit_price: Decimal | int | str,
                     kind: str = ChargeItem.Kind.OTHER, tiers: Sequence[Mapping[str, Any]] | None = None,
                     active: bool = True, item: ChargeItem | None = None) -> ChargeItem:
    """Create (or, with ``item``, update) a charge item and its price tiers."""
    cleaned = _clean_tiers(tiers)
    if cleaned and basis != ChargeItem.Basis.METERED:
        raise BusinessRuleError({"tiers": [_("Only metered items have price tiers.")]})
    others = ChargeItem.objects.filter(project=project, code=code)
    if item is not None:
        others = others.exclude(pk=item.pk)
    if others.exists():
        raise BusinessRuleError({"code": [_("This code is already used in the project.")]})
    item = item or ChargeItem(project=project)
    item.code, item.name, item.basis, item.kind, item.active = code, name, basis, kind, active
    item.unit_price = money(unit_price)
    item.save()
    if tiers is not None:
        item.tiers.all().delete()
        ChargeTier.objects.bulk_create([ChargeTier(item=item, position=i + 1, from_qty=lower, up_to=up_to, price=price)
                                        for i, (lower, up_to, price) in enumerate(cleaned)])
    return item


# --- meter readings -----------------------------------------------------------------------

def meter_reading_check(*, unit: Unit, item: ChargeItem, period: str, reading: Decimal | int | str
                        ) -> tuple[Decimal, bool]:
    """Validate a reading; returns ``(usage, flagged)`` or raises ``BusinessRuleError``."""
    errors = {}
    if item.basis != ChargeItem.Basis.METERED or item.project_id != unit.project_id:
        errors["item"] = [_("Choose a metered item of the unit's project.")]
        raise BusinessRuleError(errors)
    reading = Decimal(reading)
    if reading < 0:
        raise BusinessRuleError({"reading": [_("A reading cannot be negative.")]})
    if MeterReading.objects.filter(unit=unit, item=item, period=period).exists():
        raise BusinessRuleError({"period": [_("This meter already has a reading for the period.")]})
    earlier = list(MeterReading.objects.filter(unit=unit, item=item, period__lt=period).order_by("-period")[:4])
    if not earlier:
        return Decimal("0"), False  # the first reading is the meter's baseline
    last = earlier[0]
    if reading < last.reading:
        raise BusinessRuleError({"reading": [
            _("The reading %(reading)s is lower than the last one (%(last)s in %(period)s).")
            % {"reading": reading, "last": last.reading, "period": last.period}]})
    usage = reading - last.reading
    # the last 3 periods with a real usage (the meter's first reading is a baseline, not usage)
    recent = [r.usage for r in (earlier[:3] if len(earlier) == 4 else earlier[:-1])]
    if not recent:
        return usage, False
    average = sum(recent, Decimal("0")) / len(recent)
    flagged = usage > JUMP_MIN_USAGE and usage > JUMP_FACTOR * average
    return usage, flagged


@transaction.atomic
def meter_reading_record(*, unit: Unit, item: ChargeItem, period: str, reading: Decimal | int | str, user: User | None,
                         confirm: bool = False) -> MeterReading:
    """Record a reading. Lower than the last → 400; a jump beyond 3× the usual usage → 400
    unless ``confirm`` (then it is stored flagged)."""
    if unit.project.bill_runs.filter(period=period).exists():
        raise StateConflict(_("The bills of %(period)s are already out; enter the reading for a later period.")
                            % {"period": period})
    usage, flagged = meter_reading_check(unit=unit, item=item, period=period, reading=reading)
    if flagged and not confirm:
        raise BusinessRuleError({"reading": [
            _("Usage %(usage)s is far above this unit's usual usage; check the meter and send confirm=true.")
            % {"usage": usage}]})
    return MeterReading.objects.create(unit=unit, item=item, period=period, reading=Decimal(reading), usage=usage,
                                       flagged=flagged, entered_by=user)


# --- bill runs and adjustments -------------------------------------------------------------

def check_period_may_be_billed(period: str, today: date | None = None) -> None:
    """Bills go out in advance for at most the next month (seeds/004_418914185ea837fa.txt: notices before the 10th of the month
    billed); a later period is a typing slip (2030-01 for 2026-01) that would bill every unit years ahead."""
    today = today or clock.today()
    year, month = (int(part) for part in period.split("-"))
    latest = (today.year + (today.month // 12), today.month % 12 + 1)
    if (year, month) > latest:
        raise BusinessRuleError({"period": [_("Bills can be run up to next month (%(latest)s), not for %(period)s.")
                                            % {"latest": f"{latest[0]}-{latest[1]:02d}", "period": period}]})


def bill_run_create(*, project: Project, period: str, user: User | None = None) -> tuple[BillRun, bool]:
    check_period_may_be_billed(period)
    with override("zh-hans"):
        label = _("Late fee")
    return billrun.bill_run_create(project=project, period=period, user=user, late_fee_label=label)


@transaction.atomic
def bill_adjust(*, bill: Bill, amount: Decimal | int | str, reason: str, user: User) -> Adjustment:
    """Append a debit (+) or credit (−) line to a bill; the bill's lines are never edited."""
    amount = money(amount)
    if amount == 0:
        raise BusinessRuleError({"amount": [_("An adjustment cannot be zero.")]})
    if not reason.strip():
        raise BusinessRuleError({"reason": [_("Give a reason.")]})
    bill = Bill.objects.select_for_update().get(pk=bill.pk)
    if bill.amount + amount < bill.paid:
        raise BusinessRuleError({"amount": [_("A credit cannot exceed the unpaid balance (%(balance)s).")
                                            % {"balance": bill.balance}]})
    adjustment = Adjustment.objects.create(bill=bill, amount=amount, reason=reason, created_by=user)
    BillLine.objects.create(bill=bill, kind=BillLine.Kind.ADJUSTMENT, description=reason[:200], quantity=1,
                            unit_price=amount, amount=amount, source_id=adjustment.pk)
    bill.amount += amount
    _set_status(bill)
    bill.save()
    return adjustment


def _set_status(bill: Bill) -> None:
    bill.status = (Bill.Status.PAID if bill.paid >= bill.amount
                   else Bill.Status.PARTIAL if bill.paid > 0 else Bill.Status.OPEN)


# --- receivables handed over by other modules ---------------------------------------------------

@transaction.atomic
def one_off_charge_create(*, project: Project, unit: Unit, amount: Decimal, description: str, source: str,
                          source_id: int, created_by: User | None = None) -> OneOffCharge:
    """A receivable another module hands over (a paid repair, 有偿服务); the unit's next bill run bills it.
    Idempotent on ``(source, source_id)``: a second call for the same record returns the charge it already made.
    The caller holds the lock on its own record (the work order), so two calls at once do not both create one."""
    existing = OneOffCharge.objects.filter(source=source, source_id=source_id).first()
    if existing is not None:
        return existing
    return OneOffCharge.objects.create(project=project, unit=unit, amount=amount, description=description[:200],
                                       source=source, source_id=source_id, created_by=created_by)


# --- payments ------------------------------------------------------------------------------

@transaction.atomic
def payment_record(*, bill: Bill | None = None, unit: Unit | None = None, amount: Decimal | int | str, method: str,
                   user: User, reference: str = "", prepay: bool = False) -> Payment:
    """Record money received for a bill (partial payments allowed). More than the balance is
    refused unless ``prepay``: then the rest is held as the unit's credit for later bills.
    Without a bill (``unit`` given) the whole amount is a prepayment. Issues the receipt with
    the project's next number (gapless: the counter row is locked in this transaction)."""
    amount = money(amount)
    if amount <= 0:
        raise BusinessRuleError({"amount": [_("The amount must be above 0.")]})
    if method not in Payment.Method.values:
        raise BusinessRuleError({"method": [_("Unknown payment method.")]})
    if bill is not None:
        bill = Bill.objects.select_for_update().select_related("unit").get(pk=bill.pk)
        unit = bill.unit
        applied = min(amount, bill.balance)
        if amount > bill.balance and not prepay:
            raise BusinessRuleError({"amount": [_("The amount is more than the balance of %(balance)s.")
                                                % {"balance": bill.balance}]})
    elif unit is None:
        raise BusinessRuleError({"bill": [_("Choose a bill (or a unit for a prepayment).")]})
    else:
        applied = Decimal("0")
    credited = amount - applied
    now = clock.now()
    payment = Payment.objects.create(project_id=unit.project_id, unit=unit, bill=bill, amount=amount, applied=applied,
                                     credited=credited, method=method, reference=reference, received_by=user,
                                     received_at=now)
    if bill is not None and applied:
        bill.paid += applied
        _set_status(bill)
        bill.save()
    if credited:
        credit, _created = UnitCredit.objects.get_or_create(unit=unit)
        credit = UnitCredit.objects.select_for_update().get(pk=credit.pk)
        credit.balance += credited
        credit.save()
        CreditEntry.objects.create(unit=unit, kind=CreditEntry.Kind.PREPAID, amount=credited, payment=payment,
                                   created_at=now)
    ReceiptCounter.objects.get_or_create(project_id=unit.project_id)
    counter = ReceiptCounter.objects.select_for_update().get(project_id=unit.project_id)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    Receipt.objects.create(project_id=unit.project_id, number=counter.last_number, payment=payment, issued_at=now)
    return payment


@transaction.atomic
def payment_reverse(*, payment: Payment, reason: str, user: User) -> PaymentReversal:
    """Reverse a payment (冲正): the bill's balance and the unit's credit are restored, the
    payment and its receipt stay as they were, with a reversal record."""
    if not (reason or "").strip():
        raise BusinessRuleError({"reason": [_("Give a reason.")]})
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if PaymentReversal.objects.filter(payment=payment).exists():
        raise StateConflict(_("This payment is already reversed."))
    if payment.credited:
        credit = UnitCredit.objects.select_for_update().get(unit_id=payment.unit_id)
        if credit.balance < payment.credited:
            raise StateConflict(_("The prepaid credit has already been used on later bills; adjust those bills instead."))
        credit.balance -= payment.credited
        credit.save()
        CreditEntry.objects.create(unit_id=payment.unit_id, kind=CreditEntry.Kind.REVERSED, amount=-payment.credited,
                                   payment=payment, created_at=clock.now())
    if payment.bill_id and payment.applied:
        bill = Bill.objects.select_for_update().get(pk=payment.bill_id)
        bill.paid -= payment.applied
        _set_status(bill)
        bill.save()
    return PaymentReversal.objects.create(payment=payment, reason=reason, reversed_by=user, reversed_at=clock.now())


# --- late fees -------------------------------------------------------------------------------

def late_fees_compute(*, project: Project, as_of: date) -> int:
    """Accrue late fees (滞纳金) of the project's overdue bills as of a date, set-based:
    fee = balance × daily rate × days past (due date + grace days), rounded half-up to the cent,
    at most cap % of the balance. Off unless the project's policy enables it. Re-running for
    the same date gives the same fees. Returns the number of fees written."""
    policy = BillingPolicy.objects.filter(project=project).first()
    if policy is None or not policy.late_fee_enabled:
        return 0
    cutoff = as_of - timedelta(days=policy.late_fee_grace_days)
    rate_ppm = int((policy.late_fee_daily_rate * 1_000_000).to_integral_value())
    days = billrun._days_between("%(cutoff)s", "b.due_date")
    if connection.vendor == "postgresql":
        days = "(CAST(%(cutoff)s AS DATE) - b.due_date)"
    balance_c = billrun._cents("b.amount - b.paid")
    fee_c = (f"CASE WHEN (2 * {balance_c} * %(rate)s * {days} + 1000000) / 2000000 > ({balance_c} * %(cap)s + 50) / 100 "
             f"THEN ({balance_c} * %(cap)s + 50) / 100 ELSE (2 * {balance_c} * %(rate)s * {days} + 1000000) / 2000000 END")
    select = f"""SELECT b.id AS bill_id, ({fee_c}) / 100.0 AS fee, {days} AS days FROM billing_bill b
                 WHERE b.project_id = %(project)s AND b.due_date < %(cutoff)s AND b.paid < b.amount"""
    params: dict[str, int | date] = {"project": project.pk, "cutoff": cutoff, "rate": rate_ppm,
                                     "cap": policy.late_fee_cap_percent, "as_of": as_of}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"""
            UPDATE billing_latefee SET amount = s.fee, days = s.days, as_of = %(as_of)s
            FROM ({select}) s WHERE billing_latefee.bill_id = s.bill_id AND billing_latefee.status = 'accruing'""",
                       params)
        updated = cursor.rowcount
        cursor.execute(f"""
            INSERT INTO billing_latefee (bill_id, amount, days, as_of, status, waive_reason)
            SELECT s.bill_id, s.fee, s.days, %(as_of)s, 'accruing', '' FROM ({select}) s
            WHERE NOT EXISTS (SELECT 1 FROM billing_latefee lf WHERE lf.bill_id = s.bill_id)""", params)
        return updated + cursor.rowcount


@transaction.atomic
def late_fee_waive(*, late_fee: LateFee, reason: str, user: User) -> LateFee:
    if not (reason or "").strip():
        raise BusinessRuleError({"reason": [_("Give a reason.")]})
    late_fee = LateFee.objects.select_for_update().get(pk=late_fee.pk)
    if late_fee.status != LateFee.Status.ACCRUING:
        raise StateConflict(_("Only an accruing late fee can be waived (a billed one is credited by an adjustment)."))
    late_fee.status = LateFee.Status.WAIVED
    late_fee.waived_by, late_fee.waived_at, late_fee.waive_reason = user, clock.now(), reason
    late_fee.save()
    return late_fee


# --- dunning (催缴) ----------------------------------------------------------------------------

@transaction.atomic
def dunning_run_create(*, project: Project, on: date) -> tuple[DunningRun, bool]:
    """Follow up arrears (seeds/004_418914185ea837fa.txt: on the 10th and the 25th): a notice for every unit with an
    unpaid balance of bills due by ``on``; one task per floor butler listing their units (units
    no butler covers go to the customer-service supervisor post); residents with a portal login
    are notified. Idempotent per (project, date)."""
    run, created = DunningRun.objects.get_or_create(project=project, date=on)
    if not created:
        return run, False
    rows = (Bill.objects.filter(project=project, due_date__lte=on, paid__lt=F("amount"))
            .values("unit_id").annotate(owed=Sum("amount") - Sum("paid"), oldest=Min("due_date")))
    DunningNotice.objects.bulk_create(
        [DunningNotice(run=run, unit_id=r["unit_id"], balance=r["owed"], oldest_due_date=r["oldest"]) for r in rows.iterator()],
        batch_size=2000)
    run.notices = DunningNotice.objects.filter(run=run).count()
    run.save(update_fields=["notices"])
    due_at = clock.at(on, "17:00")
    url = f"/billing/dunning/{run.pk}/"
    with override("zh-hans"):
        covered = Q(pk__in=[])
        for holding in butler_holdings(project=project).select_related("user", "building"):
            mine = DunningNotice.objects.filter(run=run).filter(holding.units_q("unit__"))
            covered |= holding.units_q("unit__")
            labels = [f"{n.unit.building.name}-{n.unit.number} ¥{n.balance}"
                      for n in mine.select_related("unit__building").order_by(*ledger_order())]
            if labels:
                task_create_once(source="billing.dunning", source_key=f"billing:dunning:{run.pk}:{holding.pk}",
                                 title=_("Arrears follow-up %(date)s: %(count)s units") % {"date": on, "count": len(labels)},
                                 description="\n".join(labels), due_at=due_at, assignee=holding.user, project=project,
                                 url=f"{url}?holding={holding.pk}")
        rest = DunningNotice.objects.filter(run=run).exclude(covered).count()
        supervisor = Post.objects.filter(code="cs-supervisor").first()
        if rest and supervisor:
            task_create_once(source="billing.dunning", source_key=f"billing:dunning:{run.pk}:unassigned",
                             title=_("Arrears follow-up %(date)s: %(count)s units without a floor butler")
                             % {"date": on, "count": rest},
                             due_at=due_at, post=supervisor, project=project, url=url)
        residents = (Resident.objects.filter(unit__dunning_notices__run=run, user__isnull=False)
                     .select_related("user", "unit__building"))
        for resident in residents.iterator():
            if resident.user is None:  # never (the filter above): for the type checker
                continue
            notice = next(iter(resident.unit.dunning_notices.filter(run=run)))
            notify(user=resident.user, title=_("Reminder: unpaid property fees"),
                   body=_("Unit %(unit)s has unpaid fees of ¥%(balance)s. Please pay at your earliest convenience.")
                   % {"unit": f"{resident.unit.building.name}-{resident.unit.number}", "balance": notice.balance},
                   url="/portal/billing/")
    return run, True


# --- fee-notice routine ------------------------------------------------------------------------

def fee_notice_task_create(*, run: BillRun) -> tuple[Task | None, bool]:
    """After a run, the archivist prints the fee notices before the 10th (seeds/004_418914185ea837fa.txt): one task
    for the archivist post linking to the run's batch PDFs. Returns ``(task, created)``."""
    archivist = Post.objects.filter(code="archivist").first()
    if archivist is None:
        return None, False
    month_start = billrun.period_bounds(run.period)[0]
    with override("zh-hans"):
        title = _("Print the fee notices of %(period)s (before the 10th)") % {"period": run.period}
    return task_create_once(source="billing.fee_notices", source_key=f"billing:fee-notices:{run.pk}",
                                      title=title, due_at=clock.at(month_start.replace(day=10), "17:00"),
                            post=archivist, project=run.project, url=f"/billing/runs/{run.pk}/")


def unit_label(unit: Unit) -> str:
    return f"{unit.building.name}-{unit.number}"

