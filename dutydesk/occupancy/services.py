"""Writes of the move-in, renovation and move-out procedures: keyword-only functions, one verb each, each in one
transaction that locks the row it changes, so two clerks acting at once give one success and one 409.

The caller (a page, an endpoint, the demo) was allowed to ask (docs/architecture.md "Where permission checks live");
a service still checks the permission in the unit's own project (``Denied``, 403), the state (``StateConflict``, 409)
and the input (``BusinessRuleError``, 400)."""
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from dutydesk.archive.models import Resident, Unit
from dutydesk.billing.selectors import one_off_charge_paid, units_billing_summary
from dutydesk.billing.services import one_off_charge_create
from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.money import format_amount, parse_amount, to_cents
from dutydesk.core.permissions import Denied
from dutydesk.core.uploads import upload_problem
from dutydesk.frontdesk.models import AccessPass, GoodsRelease
from dutydesk.frontdesk.services import goods_release_create, pass_cancel, pass_issue, pass_renew, service_record_write
from dutydesk.occupancy import workflow
from dutydesk.occupancy.models import (METERS, MOVE_IN_STEPS, MOVE_OUT_STEPS, InspectionPhoto, MoveIn, MoveInStep,
                                       MoveOut, MoveOutStep, Renovation, RenovationInspection, RenovationWorker)
from dutydesk.org import access

# A start time this far in the future is a clock error, not a form opened early.
CLOCK_SKEW = timedelta(minutes=1)
MAX_PHOTOS = 10
DEPOSIT_SOURCE = "renovation_deposit"  # billing.OneOffCharge.source of a renovation deposit


def _require(allowed: bool) -> None:
    if not allowed:
        raise Denied()


def _started(started_at: datetime | None, now: datetime) -> datetime:
    if started_at is None:
        return now
    if started_at > now + CLOCK_SKEW:
        raise BusinessRuleError({"started_at": [_("The start time cannot be in the future.")]})
    return min(started_at, now)


def unit_balance(unit: Unit) -> Decimal:
    """What the unit still owes on its bills (billing's summary for other apps' pages)."""
    return units_billing_summary(units=[unit], periods=0)["balance"]


def _refuse_while_owing(unit: Unit, message: str) -> None:
    owed = unit_balance(unit)
    if owed > 0:
        raise StateConflict(message % {"unit": unit, "amount": format_amount(owed)})


def _set_unit_status(unit_id: int, status: str) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit_id)
    if unit.status != status:
        unit.status = status
        unit.save(update_fields=["status"])  # a history row, with the request user
    return unit


def _check_resident(unit: Unit, resident: Resident) -> None:
    if resident.unit_id != unit.pk:
        raise BusinessRuleError({"resident": [_("%(name)s is not registered at %(unit)s.")
                                              % {"name": resident.name, "unit": unit}]})


def _readings(readings: Mapping[str, Any] | None) -> dict[str, str]:
    """``{"water": "123.40", ...}``: at least one known meter, readings ≥ 0 to the cent."""
    cleaned: dict[str, str] = {}
    for meter, value in (readings or {}).items():
        if meter not in dict(METERS):
            raise BusinessRuleError({"readings": [_("Unknown meter %(meter)s: use water, electricity or gas.")
                                                  % {"meter": str(meter)[:20]}]})
        if value in (None, ""):
            continue
        reading = to_cents(value)
        if reading is None or reading < 0 or reading >= Decimal("10000000000"):
            raise BusinessRuleError({"readings": [_("A meter reading is a number of 0 or more, such as 1234.5.")]})
        cleaned[meter] = str(reading)
    if not cleaned:
        raise BusinessRuleError({"readings": [_("Enter at least one meter reading.")]})
    return cleaned


def _keys_count(count: int | None, *, at_least: int) -> int:
    if count is None or count < at_least or count > 99:
        raise BusinessRuleError({"count": [_("Enter how many keys (%(least)s to 99).") % {"least": at_least}]})
    return count


# ---------------------------------------------------------------- move-in (入住收楼)
@transaction.atomic
def move_in_open(*, unit: Unit, resident: Resident, date: date, clerk: User,
                 started_at: datetime | None = None) -> MoveIn:
    """Open the move-in checklist of a unit for a resident already in the archive (seeds/004_418914185ea837fa.txt:128:
    接待业主、验证身份、填写业主资料 — the resident's record comes first)."""
    _require(access.allows_unit(clerk, "occupancy.move_in", unit))
    now = clock.now()
    started = _started(started_at, now)
    _check_resident(unit, resident)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)  # one open move-in per unit, whatever the concurrency
    if unit.status == Unit.Status.OCCUPIED:
        raise StateConflict(_("%(unit)s is occupied: record the move-out of its residents first.") % {"unit": unit})
    if MoveIn.objects.filter(unit=unit, status=MoveIn.Status.OPEN).exists():
        raise StateConflict(_("A move-in of %(unit)s is already in progress.") % {"unit": unit})
    try:
        with transaction.atomic():
            move_in = MoveIn.objects.create(project_id=unit.project_id, unit=unit, resident=resident, date=date,
                                            created_by=clerk, started_at=started, created_at=now)
    except IntegrityError:  # the unique open-move-in constraint: another clerk was faster
        raise StateConflict(_("A move-in of %(unit)s is already in progress.") % {"unit": unit})
    for position, (code, _label) in enumerate(MOVE_IN_STEPS, start=1):  # one by one: each step has its history
        MoveInStep.objects.create(move_in=move_in, code=code, position=position)
    return move_in


@transaction.atomic
def move_in_step_done(*, move_in: MoveIn, code: str, clerk: User, note: str = "", count: int | None = None,
                      readings: Mapping[str, Any] | None = None) -> MoveIn:
    """Tick one step of the checklist, timed and signed. The last one completes the move-in: the unit is occupied,
    the resident active (moved in on the move-in date), and the time from the form to the last step is measured
    against the 30-minute standard (seeds/004_418914185ea837fa.txt:42: 确保在30分钟内完成入住收楼工作).
    An unknown step is ``MoveInStep.DoesNotExist`` (404)."""
    move_in = MoveIn.objects.select_for_update(of=("self",)).select_related("unit", "resident").get(pk=move_in.pk)
    _require(access.allows_unit(clerk, "occupancy.move_in", move_in.unit))
    if move_in.status != MoveIn.Status.OPEN:
        raise StateConflict(_("This move-in is already completed."))
    step = MoveInStep.objects.select_for_update().get(move_in=move_in, code=code)
    if step.done_at is not None:
        raise StateConflict(_("This step is already done."))
    if code == "fees":
        _refuse_while_owing(move_in.unit, _("%(unit)s still owes %(amount)s: the fees are settled first."))
    elif code == "keys":
        step.data = {"count": _keys_count(count, at_least=1)}
        move_in.keys_count = step.data["count"]
    elif code == "meters":
        step.data = {"readings": _readings(readings)}
    elif code == "archive" and not (move_in.resident.id_number and move_in.resident.phone):
        # seeds/004_418914185ea837fa.txt:129: 资料的完整性 — an owner's record has an identity number and a phone
        raise StateConflict(_("The archive of %(name)s is incomplete (identity number or phone missing): complete "
                              "the resident's record first.") % {"name": move_in.resident.name})
    now = clock.now()
    step.done_at, step.done_by, step.note = now, clerk, note[:200]
    step.save()
    if not MoveInStep.objects.filter(move_in=move_in, done_at__isnull=True).exists():
        _move_in_complete(move_in, clerk, now)
    elif code == "keys":
        move_in.save(update_fields=["keys_count"])
    return move_in


def _move_in_complete(move_in: MoveIn, clerk: User, now: datetime) -> None:
    move_in.status, move_in.completed_at, move_in.completed_by = MoveIn.Status.COMPLETED, now, clerk
    move_in.save()
    _set_unit_status(move_in.unit_id, Unit.Status.OCCUPIED)
    resident = Resident.objects.select_for_update().get(pk=move_in.resident_id)
    resident.move_in_date, resident.move_out_date = move_in.date, None
    resident.save(update_fields=["move_in_date", "move_out_date"])
    service_record_write(project=move_in.project, procedure_code="move_in", clerk=clerk, started_at=move_in.started_at,
                         finished_at=now, entry=move_in, action="move_in")


# ---------------------------------------------------------------- move-out (退租/迁出)
@transaction.atomic
def move_out_open(*, unit: Unit, resident: Resident, date: date, clerk: User,
                  started_at: datetime | None = None) -> MoveOut:
    """Open the move-out of a resident: refused (409) while the unit owes money (费用结清 first)."""
    _require(access.allows_unit(clerk, "occupancy.move_out", unit))
    now = clock.now()
    started = _started(started_at, now)
    _check_resident(unit, resident)
    if resident.move_out_date is not None:
        raise BusinessRuleError({"resident": [_("%(name)s has already moved out.") % {"name": resident.name}]})
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _refuse_while_owing(unit, _("%(unit)s still owes %(amount)s: a move-out is handled once every bill is paid."))
    if MoveOut.objects.filter(unit=unit, status=MoveOut.Status.OPEN).exists():
        raise StateConflict(_("A move-out of %(unit)s is already in progress.") % {"unit": unit})
    try:
        with transaction.atomic():
            move_out = MoveOut.objects.create(project_id=unit.project_id, unit=unit, resident=resident, date=date,
                                              created_by=clerk, started_at=started, created_at=now)
    except IntegrityError:
        raise StateConflict(_("A move-out of %(unit)s is already in progress.") % {"unit": unit})
    for position, (code, _label) in enumerate(MOVE_OUT_STEPS, start=1):
        MoveOutStep.objects.create(move_out=move_out, code=code, position=position)
    return move_out


@transaction.atomic
def move_out_step_done(*, move_out: MoveOut, code: str, clerk: User, note: str = "", count: int | None = None,
                       readings: Mapping[str, Any] | None = None, items: str = "", carrier_name: str = "",
                       carrier_phone: str = "") -> MoveOut:
    """Tick one step of the move-out. ``goods`` issues the front desk's goods release, authorised by the resident
    who leaves. The last step completes it: the unit is vacant and its residents moved out on the move-out date; the
    time is measured against the 30-minute standard (seeds/004_418914185ea837fa.txt:48: 确保在30分钟内完成转名、退楼工作).
    The unit must owe nothing when it completes, whatever was billed since the move-out was opened."""
    move_out = MoveOut.objects.select_for_update(of=("self",)).select_related("unit", "resident").get(pk=move_out.pk)
    _require(access.allows_unit(clerk, "occupancy.move_out", move_out.unit))
    if move_out.status != MoveOut.Status.OPEN:
        raise StateConflict(_("This move-out is already completed."))
    step = MoveOutStep.objects.select_for_update().get(move_out=move_out, code=code)
    if step.done_at is not None:
        raise StateConflict(_("This step is already done."))
    owing = _("%(unit)s still owes %(amount)s: a move-out is handled once every bill is paid.")
    if code == "fees":
        _refuse_while_owing(move_out.unit, owing)
    elif code == "keys":
        step.data = {"count": _keys_count(count, at_least=0)}
        move_out.keys_count = step.data["count"]
    elif code == "meters":
        step.data = {"readings": _readings(readings)}
    elif code == "goods":
        errors = {}
        if not items.strip():
            errors["items"] = [_("List the goods that leave.")]
        if not carrier_name.strip():
            errors["carrier_name"] = [_("Name who carries the goods out.")]
        if errors:
            raise BusinessRuleError(errors)
        release = goods_release_create(unit=move_out.unit, clerk=clerk, items=items, carrier_name=carrier_name,
                                       carrier_phone=carrier_phone, authorised_by=move_out.resident.name,
                                       authorisation=GoodsRelease.Authorisation.RESIDENT)
        move_out.goods_release = release
        step.data = {"goods_release": release.pk}
    now = clock.now()
    step.done_at, step.done_by, step.note = now, clerk, note[:200]
    step.save()
    if not MoveOutStep.objects.filter(move_out=move_out, done_at__isnull=True).exists():
        _refuse_while_owing(move_out.unit, owing)
        _move_out_complete(move_out, clerk, now)
    elif code in ("keys", "goods"):
        move_out.save(update_fields=["keys_count", "goods_release"])
    return move_out


def _move_out_complete(move_out: MoveOut, clerk: User, now: datetime) -> None:
    move_out.status, move_out.completed_at, move_out.completed_by = MoveOut.Status.COMPLETED, now, clerk
    move_out.save()
    _set_unit_status(move_out.unit_id, Unit.Status.VACANT)
    # nobody lives in a vacant unit: every resident still registered there moved out on this date
    for resident in Resident.objects.select_for_update().filter(unit_id=move_out.unit_id, move_out_date__isnull=True):
        resident.move_out_date = move_out.date
        resident.save(update_fields=["move_out_date"])
    service_record_write(project=move_out.project, procedure_code="ownership_transfer", clerk=clerk,
                         started_at=move_out.started_at, finished_at=now, entry=move_out, action="move_out")


# ---------------------------------------------------------------- renovation (装修)
def _lock_renovation(renovation: Renovation) -> Renovation:
    return Renovation.objects.select_for_update(of=("self",)).select_related("unit", "project").get(pk=renovation.pk)


def _step(renovation: Renovation, action: str) -> str:
    """The status after ``action`` by the transition table, else 409."""
    target = workflow.next_status(renovation.status, action)
    if target is None:
        raise StateConflict(workflow.CONFLICTS[action])
    return target


def _record_filing(renovation: Renovation, clerk: User, started: datetime, now: datetime, action: str) -> None:
    # seeds/004_418914185ea837fa.txt:46: 确保在15分钟内完成装修申报、延期、停工、退场工作
    service_record_write(project=renovation.project, procedure_code="renovation_filing", clerk=clerk,
                         started_at=started, finished_at=now, entry=renovation, action=action)


def _issue_pass(renovation: Renovation, worker: RenovationWorker, clerk: User) -> None:
    """A renovation pass valid only within the approved dates (seeds/004_418914185ea837fa.txt:131 装修出入证)."""
    worker.access_pass = pass_issue(unit=renovation.unit, clerk=clerk, kind=AccessPass.Kind.RENOVATION,
                                    holder_name=worker.name, holder_phone=worker.phone,
                                    holder_id_number=worker.id_number, valid_from=renovation.starts_on,
                                    valid_until=renovation.ends_on)
    worker.save(update_fields=["access_pass"])


def _active_passes(renovation: Renovation) -> list[AccessPass]:
    return [worker.access_pass for worker in renovation.workers.select_related("access_pass")
            if worker.access_pass is not None and worker.access_pass.status == AccessPass.Status.ACTIVE]


@transaction.atomic
def renovation_apply(*, unit: Unit, clerk: User, contractor: str, starts_on: date, ends_on: date,
                     deposit: Decimal | int | str, resident: Resident | None = None, contractor_phone: str = "",
                     description: str = "", workers: Iterable[Mapping[str, str]] = (),
                     started_at: datetime | None = None) -> Renovation:
    """File a renovation application (装修申报, seeds/004_418914185ea837fa.txt:16) with the contractor, its workers and
    the dates; it waits for the supervisor's approval. One renovation at a time per unit."""
    _require(access.allows_unit(clerk, "occupancy.renovation", unit))
    now = clock.now()
    started = _started(started_at, now)
    errors: dict[str, list[str]] = {}
    if not contractor.strip():
        errors["contractor"] = [_("Name the contractor.")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("The works cannot end before they start.")]
    elif ends_on < clock.today():
        errors["ends_on"] = [_("The works cannot end in the past.")]
    amount = parse_amount(deposit, "deposit", required=True) or Decimal("0")  # required: never None
    if amount < 0 or amount >= Decimal("10000000000"):
        errors["deposit"] = [_("The deposit is an amount of 0 or more.")]
    if errors:
        raise BusinessRuleError(errors)
    if resident is not None:
        _check_resident(unit, resident)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if Renovation.objects.filter(unit=unit, status__in=[Renovation.Status.APPLIED, Renovation.Status.APPROVED,
                                                       Renovation.Status.PASSED]).exists():
        raise StateConflict(_("%(unit)s already has a renovation that is not closed.") % {"unit": unit})
    try:
        with transaction.atomic():
            renovation = Renovation.objects.create(
                project_id=unit.project_id, unit=unit, resident=resident, contractor=contractor.strip(),
                contractor_phone=contractor_phone, description=description, starts_on=starts_on, ends_on=ends_on,
                deposit=amount, created_by=clerk, started_at=started, created_at=now)
    except IntegrityError:
        raise StateConflict(_("%(unit)s already has a renovation that is not closed.") % {"unit": unit})
    for worker in workers:
        RenovationWorker.objects.create(renovation=renovation, name=worker["name"], phone=worker.get("phone", ""),
                                        id_number=(worker.get("id_number") or "").upper())
    _record_filing(renovation, clerk, started, now, "apply")
    return renovation


@transaction.atomic
def renovation_approve(*, renovation: Renovation, approver: User, note: str = "") -> Renovation:
    """The supervisor approves (seeds/000_d44081c6db2527f0.txt:459 客服主管: 接受并就业户装修的申请提出初步回复意见予经理批准):
    the permit is issued (:562 装修许可证签发), the deposit becomes a receivable of the unit for its next bill, every
    worker gets a pass valid within the approved dates, and the unit is marked renovating."""
    renovation = _lock_renovation(renovation)
    _require(access.allows_unit(approver, "occupancy.approve", renovation.unit))
    target = _step(renovation, "approve")
    if renovation.ends_on < clock.today():
        raise StateConflict(_("The dates of this application are over: file it again with new dates."))
    renovation.status, renovation.decided_at, renovation.decided_by = target, clock.now(), approver
    renovation.decision_note = note[:200]
    if renovation.deposit > 0:
        with override("zh-hans"):  # the bill line is printed in Chinese
            description = _("Renovation deposit %(unit)s") % {"unit": renovation.unit}
        renovation.deposit_charge = one_off_charge_create(
            project=renovation.project, unit=renovation.unit, amount=renovation.deposit, description=description,
            source=DEPOSIT_SOURCE, source_id=renovation.pk, created_by=approver)
    renovation.save()
    _set_unit_status(renovation.unit_id, Unit.Status.RENOVATING)
    for worker in renovation.workers.filter(access_pass__isnull=True):
        _issue_pass(renovation, worker, approver)
    return renovation


@transaction.atomic
def renovation_reject(*, renovation: Renovation, approver: User, reason: str) -> Renovation:
    renovation = _lock_renovation(renovation)
    _require(access.allows_unit(approver, "occupancy.approve", renovation.unit))
    target = _step(renovation, "reject")
    if not reason.strip():
        raise BusinessRuleError({"reason": [_("Give a reason.")]})
    renovation.status, renovation.decided_at, renovation.decided_by = target, clock.now(), approver
    renovation.decision_note = reason[:200]
    renovation.save()
    return renovation


@transaction.atomic
def renovation_worker_add(*, renovation: Renovation, clerk: User, name: str, phone: str = "",
                          id_number: str = "") -> RenovationWorker:
    """Add a worker; once the renovation is approved the worker's pass is issued at once."""
    renovation = _lock_renovation(renovation)
    _require(access.allows_unit(clerk, "occupancy.renovation", renovation.unit))
    _step(renovation, "add_worker")
    if not name.strip():
        raise BusinessRuleError({"name": [_("Name the worker.")]})
    worker = RenovationWorker.objects.create(renovation=renovation, name=name.strip(), phone=phone,
                                             id_number=(id_number or "").upper())
    if renovation.status == Renovation.Status.APPROVED:
        if renovation.ends_on < clock.today():
            raise StateConflict(_("The approved dates are over: extend the renovation before adding workers."))
        _issue_pass(renovation, worker, clerk)
    return worker


@transaction.atomic
def renovation_extend(*, renovation: Renovation, clerk: User, ends_on: date,
                      started_at: datetime | None = None) -> Renovation:
    """Extend the works (延期, seeds/004_418914185ea837fa.txt:16); the workers' passes follow the new end date."""
    now = clock.now()
    started = _started(started_at, now)
    renovation = _lock_renovation(renovation)
    _require(access.allows_unit(clerk, "occupancy.renovation", renovation.unit))
    _step(renovation, "extend")
    if ends_on <= renovation.ends_on:
        raise BusinessRuleError({"ends_on": [_("An extension ends after the current end date %(day)s.")
                                             % {"day": renovation.ends_on.isoformat()}]})
    if ends_on < clock.today():
        raise BusinessRuleError({"ends_on": [_("The works cannot end in the past.")]})
    renovation.ends_on = ends_on
    renovation.extensions += 1
    renovation.save(update_fields=["ends_on", "extensions"])
    for access_pass in _active_passes(renovation):
        pass_renew(access_pass=access_pass, clerk=clerk, valid_until=ends_on)
    _record_filing(renovation, clerk, started, now, "extend")
    return renovation


@transaction.atomic
def renovation_inspect(*, renovation: Renovation, inspector: User, result: str, note: str = "", final: bool = False,
                       photos: Sequence[File] = ()) -> RenovationInspection:
    """Record an inspection of the works (装修现场巡查, seeds/000_d44081c6db2527f0.txt:563) or the final one (竣工验收,
    :564), pass or fail, with photos. A passing final inspection ends the works; a failed one becomes a task for the
    unit's floor butler (occupancy/jobs.py)."""
    renovation = _lock_renovation(renovation)
    _require(access.allows_unit(inspector, "occupancy.inspect", renovation.unit))
    if result not in RenovationInspection.Result.values:
        raise BusinessRuleError({"result": [_("The result is pass or fail.")]})
    passed_final = final and result == RenovationInspection.Result.PASS
    target = _step(renovation, "final_pass" if passed_final else "inspect")
    if len(photos) > MAX_PHOTOS:
        raise BusinessRuleError({"photos": [_("At most %(n)s photos.") % {"n": MAX_PHOTOS}]})
    for photo in photos:
        problem = upload_problem(photo, images_only=True)  # by content: an HTML page named .jpg is refused
        if problem:
            raise BusinessRuleError({"photos": [problem]})
    if result == RenovationInspection.Result.FAIL and not note.strip():
        raise BusinessRuleError({"note": [_("Say what failed, so that it can be put right.")]})
    now = clock.now()
    inspection = RenovationInspection.objects.create(renovation=renovation, final=final, result=result, note=note,
                                                     inspected_at=now, inspected_by=inspector)
    for photo in photos:
        InspectionPhoto.objects.create(inspection=inspection, file=photo, name=(photo.name or "")[:200],
                                       uploaded_at=now)
    if target != renovation.status:
        renovation.status = target
        renovation.save(update_fields=["status"])
    return inspection


@transaction.atomic
def renovation_close(*, renovation: Renovation, clerk: User, started_at: datetime | None = None) -> Renovation:
    """The contractor leaves (退场, seeds/004_418914185ea837fa.txt:16) after the final inspection passed: the passes still
    active are cancelled, and the unit is occupied again if somebody lives there, else vacant."""
    now = clock.now()
    started = _started(started_at, now)
    renovation = _lock_renovation(renovation)
    _require(access.allows_unit(clerk, "occupancy.renovation", renovation.unit))
    renovation.status = _step(renovation, "close")
    renovation.closed_at, renovation.closed_by = now, clerk
    renovation.save()
    for access_pass in _active_passes(renovation):
        pass_cancel(access_pass=access_pass, clerk=clerk)
    unit = Unit.objects.select_for_update().get(pk=renovation.unit_id)
    if unit.status == Unit.Status.RENOVATING:
        lived_in = Resident.objects.filter(unit=unit, move_in_date__isnull=False, move_out_date__isnull=True).exists()
        _set_unit_status(unit.pk, Unit.Status.OCCUPIED if lived_in else Unit.Status.VACANT)
    _record_filing(renovation, clerk, started, now, "close")
    return renovation


def deposit_collected(renovation: Renovation) -> bool:
    """Was the deposit paid: billed with the unit's bill, and that bill paid (billing's published selector)."""
    return renovation.deposit_charge is not None and one_off_charge_paid(renovation.deposit_charge)


@transaction.atomic
def renovation_deposit_refund(*, renovation: Renovation, user: User, method: str, amount: Any = None,
                              note: str = "") -> Renovation:
    """Refund the deposit (装修押金退还, seeds/000_d44081c6db2527f0.txt:475 客服副主管 初审及办理, :564 楼层管家 跟进):
    only after a passed final inspection (409 before), once, and only a deposit that was collected. Less than the
    deposit is a deduction and needs its reason. Recorded on the renovation with its history: billing records money
    received, not money paid back (docs/decisions.md "Renovation deposit refunds")."""
    renovation = _lock_renovation(renovation)
    _require(access.allows_unit(user, "occupancy.refund", renovation.unit))
    _step(renovation, "refund")
    if renovation.refunded_at is not None:
        raise StateConflict(_("The deposit has already been refunded."))
    if renovation.deposit_charge_id is None:
        raise StateConflict(_("This renovation has no deposit."))
    if not deposit_collected(renovation):
        raise StateConflict(_("The deposit has not been collected yet: it is paid with the unit's bill."))
    errors: dict[str, list[str]] = {}
    refund = parse_amount(amount, "amount") if amount not in (None, "") else renovation.deposit
    if refund is None or refund <= 0 or refund > renovation.deposit:
        errors["amount"] = [_("The refund is above 0 and at most the deposit of %(deposit)s.")
                            % {"deposit": format_amount(renovation.deposit)}]
    elif refund < renovation.deposit and not note.strip():
        errors["note"] = [_("Give the reason for the deduction.")]
    if method not in Renovation.RefundMethod.values:
        errors["method"] = [_("Choose how the deposit is paid back.")]
    if errors:
        raise BusinessRuleError(errors)
    renovation.refund_amount, renovation.refund_method, renovation.refund_note = refund, method, note[:200]
    renovation.refunded_at, renovation.refunded_by = clock.now(), user
    renovation.save()
    return renovation
