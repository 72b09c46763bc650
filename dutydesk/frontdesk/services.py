"""Writes of the front-desk registers: keyword-only, one verb each, in a transaction.

State changes that two clerks could make at once are conditional UPDATEs (``... WHERE status =
'in_custody'``): exactly one wins, the other gets ``StateConflict`` (409)."""
import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import transaction
from django.db.models import Model, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.archive.models import Project, Resident, Unit
from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.services import notify
from dutydesk.frontdesk.models import (AccessPass, Card, CardBatch, CardReport, ExpectedVisitor, GoodsRelease, Key,
                                       KeyCount, KeyCountLine, KeyLoan, MailItem, ServiceRecord, Visit)
from dutydesk.org import access
from dutydesk.org.models import Post, Procedure, Standard

# Pass and pre-registration codes: no 0/O, 1/I/L — read aloud and typed at the desk.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
# How long a visitor pass is valid after arrival (product default; settings.DUTYDESK_VISIT_PASS_HOURS).
VISIT_PASS_HOURS = 4
# A start time this far in the future is a clock error, not a form opened early.
CLOCK_SKEW = timedelta(minutes=1)


def visit_pass_hours() -> int:
    return int(getattr(settings, "DUTYDESK_VISIT_PASS_HOURS", VISIT_PASS_HOURS))


def new_code(model: type[Model], field: str, prefix: str = "") -> str:
    for _attempt in range(20):
        code = prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not model._default_manager.filter(**{field: code}).exists():
            return code
    raise RuntimeError("could not find a free code")  # pragma: no cover - 31^8 codes


def end_of_day(moment: datetime) -> datetime:
    """Midnight after ``moment`` in the project time zone (seeds/004_418914185ea837fa.txt:110: 钥匙即日借即日还)."""
    return clock.at(timezone.localtime(moment).date() + timedelta(days=1), "00:00")


def _started(started_at: datetime | None, now: datetime) -> datetime:
    if started_at is None:
        return now
    if started_at > now + CLOCK_SKEW:
        raise BusinessRuleError({"started_at": [_("The start time cannot be in the future.")]})
    return min(started_at, now)


def _transition[M: Model](model: type[M], pk: int, condition: Q, message: str, **values: Any) -> M:
    """Conditional UPDATE: change the row only if ``condition`` still holds, else 409. The row is
    saved once more so that django-simple-history records the change with the request user."""
    if not model._default_manager.filter(Q(pk=pk) & condition).update(**values):
        raise StateConflict(message)
    obj = model._default_manager.get(pk=pk)
    obj.save(update_fields=list(values))
    return obj


# ---------------------------------------------------------------- service times
def post_for_procedure(*, clerk: User, project: Project, procedure: Procedure) -> Post | None:
    """The clerk's post in ``project`` that has a standard for ``procedure`` (the strictest if several)."""
    post_ids = [post.pk for post in access.posts_of(clerk, project)]
    standard = (Standard.objects.filter(post_id__in=post_ids, procedure=procedure)
                .order_by("limit_minutes", "post_id").select_related("post").first())
    return standard.post if standard else None


def service_record_write(*, project: Project, procedure_code: str, clerk: User, started_at: datetime,
                         finished_at: datetime, entry: Model, action: str) -> ServiceRecord | None:
    """Record one timed act. A procedure missing from the catalogue is created by the import,
    never here: an unknown code means the act is simply not timed."""
    procedure = Procedure.objects.filter(code=procedure_code).first()
    if procedure is None:
        return None
    return ServiceRecord.objects.create(
        project=project, procedure=procedure, clerk=clerk, post=post_for_procedure(clerk=clerk, project=project,
                                                                                   procedure=procedure),
        started_at=started_at, finished_at=finished_at,
        duration_seconds=int((finished_at - started_at).total_seconds()), action=action,
        content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk,
    )


# ---------------------------------------------------------------- keys
@transaction.atomic
def key_register(*, project: Project, clerk: User, label: str, kind: str = Key.Kind.CUSTODY, unit: Unit | None = None,
                 location: str = "", note: str = "", started_at: datetime | None = None) -> Key:
    """Put a key in the register: a unit key deposited by a resident (钥匙托管/留置) or a public-area key."""
    now = clock.now()
    started = _started(started_at, now)
    if unit is not None and unit.project_id != project.pk:
        raise BusinessRuleError({"unit": [_("This unit belongs to another project.")]})
    if Key.objects.filter(project=project, label=label).exists():
        raise BusinessRuleError({"label": [_("A key with this label is already in the register.")]})
    key = Key.objects.create(project=project, label=label, kind=kind, unit=unit, location=location, note=note)
    if kind == Key.Kind.CUSTODY:  # seeds/004_418914185ea837fa.txt:67: 确保5分钟内完成钥匙的留置、借取工作
        service_record_write(project=project, procedure_code="key_lending", clerk=clerk, started_at=started,
                             finished_at=now, entry=key, action="deposit")
    return key


@transaction.atomic
def key_lend(*, key: Key, clerk: User, borrower_name: str, borrower_phone: str, purpose: str,
             started_at: datetime | None = None) -> KeyLoan:
    """Lend a key; due back the same day (seeds/004_418914185ea837fa.txt:110: 钥匙即日借即日还). Two clerks at once: one 409."""
    now = clock.now()
    started = _started(started_at, now)
    key = _transition(Key, key.pk, Q(status=Key.Status.IN_CUSTODY), _("This key is not in custody (already lent or lost)."),
                      status=Key.Status.LENT)
    loan = KeyLoan.objects.create(key=key, borrower_name=borrower_name, borrower_phone=borrower_phone, purpose=purpose,
                                  lent_by=clerk, lent_at=now, due_at=end_of_day(now), started_at=started,
                                  finished_at=now)
    # seeds/004_418914185ea837fa.txt:67: 确保5分钟内完成钥匙的留置、借取工作
    service_record_write(project=key.project, procedure_code="key_lending", clerk=clerk, started_at=started,
                         finished_at=now, entry=loan, action="lend")
    return loan


@transaction.atomic
def key_return(*, key: Key, clerk: User) -> KeyLoan | None:
    now = clock.now()
    key = _transition(Key, key.pk, Q(status=Key.Status.LENT), _("This key is not lent out."),
                      status=Key.Status.IN_CUSTODY)
    loan = KeyLoan.objects.select_for_update().filter(key=key, returned_at__isnull=True).first()
    if loan is not None:
        loan.returned_at = now
        loan.returned_to = clerk
        loan.save(update_fields=["returned_at", "returned_to"])
    return loan


@transaction.atomic
def key_mark_lost(*, key: Key, clerk: User, note: str = "") -> Key:
    key = _transition(Key, key.pk, Q(status__in=[Key.Status.IN_CUSTODY, Key.Status.LENT]),
                      _("This key is already reported lost."), status=Key.Status.LOST, lost_at=clock.now())
    if note:
        key.note = note[:200]
        key.save(update_fields=["note"])
    return key


@transaction.atomic
def key_count_record(*, project: Project, clerk: User, confirmed_key_ids: Iterable[int],
                     unexpected_labels: Iterable[str] = (), note: str = "") -> KeyCount:
    """The daily count: every key in custody is confirmed or missing; a key seen that the register
    says is out (or a key not in the register at all) is unexpected."""
    keys = {key.pk: key for key in Key.objects.filter(project=project).only("id", "label", "status")}
    confirmed_ids = set(confirmed_key_ids)
    unknown = confirmed_ids - set(keys)
    if unknown:
        raise BusinessRuleError({"confirmed": [_("Unknown key: %(ids)s.") % {"ids": ", ".join(map(str, sorted(unknown)))}]})
    lines = []
    for key in keys.values():
        in_custody = key.status == Key.Status.IN_CUSTODY
        if in_custody:
            result = KeyCountLine.Result.CONFIRMED if key.pk in confirmed_ids else KeyCountLine.Result.MISSING
        elif key.pk in confirmed_ids:
            result = KeyCountLine.Result.UNEXPECTED
        else:
            continue
        lines.append(KeyCountLine(key=key, label=key.label, status_in_register=key.status, result=result))
    lines += [KeyCountLine(label=label[:60], result=KeyCountLine.Result.UNEXPECTED)
              for label in dict.fromkeys(l.strip() for l in unexpected_labels) if label]
    tally = {result: sum(1 for line in lines if line.result == result) for result in KeyCountLine.Result.values}
    count = KeyCount.objects.create(
        project=project, counted_by=clerk, counted_at=clock.now(), note=note,
        expected=tally["confirmed"] + tally["missing"], confirmed=tally["confirmed"], missing=tally["missing"],
        unexpected=tally["unexpected"])
    for line in lines:
        line.count = count
    KeyCountLine.objects.bulk_create(lines)
    return count


# ---------------------------------------------------------------- visitors
def visit_procedure_code(*, clerk: User, project: Project) -> str:
    """004 times visitor registration at 5 min at the front desk and 10 min at the visitor desk:
    a clerk whose post has the front-desk standard is measured against it."""
    post_ids = [post.pk for post in access.posts_of(clerk, project)]
    if Standard.objects.filter(post_id__in=post_ids, procedure__code="visitor_registration_front").exists():
        return "visitor_registration_front"
    return "visitor_registration"


@transaction.atomic
def visit_register(*, unit: Unit, clerk: User, visitor_name: str, visitor_phone: str, purpose: str, headcount: int = 1,
                   id_number: str = "", started_at: datetime | None = None,
                   expected: ExpectedVisitor | None = None) -> Visit:
    now = clock.now()
    started = _started(started_at, now)
    if expected is not None:
        expected = ExpectedVisitor.objects.select_for_update().get(pk=expected.pk)
        if expected.visit_id:
            raise StateConflict(_("This pre-registration code has already been used."))
        if expected.expected_on != clock.today():
            raise BusinessRuleError({"expected_code": [
                _("This code is for %(day)s, not today.") % {"day": expected.expected_on.isoformat()}]})
    visit = Visit.objects.create(
        project_id=unit.project_id, unit=unit, visitor_name=visitor_name, visitor_phone=visitor_phone,
        id_number=(id_number or "").upper(), purpose=purpose, headcount=headcount,
        pass_code=new_code(Visit, "pass_code"), arrived_at=started,
        valid_until=started + timedelta(hours=visit_pass_hours()), registered_by=clerk,
        started_at=started, finished_at=now,
    )
    if expected is not None:
        expected.visit = visit
        expected.save(update_fields=["visit"])
    # seeds/004_418914185ea837fa.txt:59: 确保5分钟（前台）/10分钟（来访登记处）内完成来访登记
    service_record_write(project=unit.project, procedure_code=visit_procedure_code(clerk=clerk, project=unit.project),
                         clerk=clerk, started_at=started, finished_at=now, entry=visit, action="register")
    return visit


@transaction.atomic
def visit_leave(*, visit: Visit, clerk: User) -> Visit:
    return _transition(Visit, visit.pk, Q(left_at__isnull=True), _("This visitor has already left."),
                       left_at=clock.now())


@transaction.atomic
def expected_visitor_create(*, resident: Resident, visitor_name: str, expected_on: date,
                            visitor_phone: str = "") -> ExpectedVisitor:
    """A resident announces a visitor; the code is typed or scanned at the visitor desk."""
    if expected_on < clock.today():
        raise BusinessRuleError({"expected_on": [_("The date cannot be in the past.")]})
    if expected_on > clock.today() + timedelta(days=30):
        raise BusinessRuleError({"expected_on": [_("Pre-register at most 30 days ahead.")]})
    return ExpectedVisitor.objects.create(unit=resident.unit, resident=resident, visitor_name=visitor_name,
                                          visitor_phone=visitor_phone, expected_on=expected_on,
                                          code=new_code(ExpectedVisitor, "code"))


# ---------------------------------------------------------------- goods release
@transaction.atomic
def goods_release_create(*, unit: Unit, clerk: User, items: str, carrier_name: str, authorised_by: str,
                         authorisation: str = GoodsRelease.Authorisation.RESIDENT, carrier_phone: str = "",
                         started_at: datetime | None = None) -> GoodsRelease:
    """Goods leave only with the resident's authorisation, or the butler's for a tenant's move-out."""
    now = clock.now()
    started = _started(started_at, now)
    authorised_by = authorised_by.strip()
    if authorisation == GoodsRelease.Authorisation.RESIDENT and not Resident.objects.filter(
            unit=unit, name=authorised_by, move_out_date__isnull=True).exists():
        raise BusinessRuleError({"authorised_by": [
            _("%(name)s is not a resident of %(unit)s; goods leave only with a resident's (or the butler's) authorisation.")
            % {"name": authorised_by, "unit": unit}]})
    release = GoodsRelease.objects.create(
        project_id=unit.project_id, unit=unit, items=items, carrier_name=carrier_name, carrier_phone=carrier_phone,
        authorised_by=authorised_by, authorisation=authorisation, checked_out_by=clerk,
        started_at=started, finished_at=now)
    # seeds/004_418914185ea837fa.txt:31 来访登记处: 确保10分钟内完成物品进出苑区的登记工作
    service_record_write(project=unit.project, procedure_code="goods_release", clerk=clerk, started_at=started,
                         finished_at=now, entry=release, action="release")
    return release


# ---------------------------------------------------------------- access passes
def _check_pass_dates(valid_from: date, valid_until: date) -> None:
    errors = {}
    if valid_until < valid_from:
        errors["valid_until"] = [_("The end date must not be before the start date.")]
    elif valid_until < clock.today():
        errors["valid_until"] = [_("The end date must not be in the past.")]
    if errors:
        raise BusinessRuleError(errors)


@transaction.atomic
def pass_issue(*, unit: Unit, clerk: User, kind: str, holder_name: str, valid_from: date, valid_until: date,
               holder_phone: str = "", holder_id_number: str = "", started_at: datetime | None = None) -> AccessPass:
    now = clock.now()
    started = _started(started_at, now)
    _check_pass_dates(valid_from, valid_until)
    access_pass = AccessPass.objects.create(
        project_id=unit.project_id, unit=unit, number=new_code(AccessPass, "number", prefix="P"), kind=kind,
        holder_name=holder_name, holder_phone=holder_phone, holder_id_number=(holder_id_number or "").upper(),
        valid_from=valid_from, valid_until=valid_until, issued_by=clerk, started_at=started, finished_at=now)
    # seeds/004_418914185ea837fa.txt:13 前台客户助理: 确保在15分钟内完成出入证的办证工作
    service_record_write(project=unit.project, procedure_code="access_pass", clerk=clerk, started_at=started,
                         finished_at=now, entry=access_pass, action="issue")
    return access_pass


@transaction.atomic
def pass_renew(*, access_pass: AccessPass, clerk: User, valid_until: date, valid_from: date | None = None,
               started_at: datetime | None = None) -> AccessPass:
    now = clock.now()
    started = _started(started_at, now)
    current = AccessPass.objects.select_for_update().get(pk=access_pass.pk)
    if current.status != AccessPass.Status.ACTIVE:
        raise StateConflict(_("A cancelled pass cannot be renewed."))
    if valid_until <= current.valid_until:
        raise BusinessRuleError({"valid_until": [_("A renewal must end after the current end date %(day)s.")
                                                 % {"day": current.valid_until.isoformat()}]})
    valid_from = valid_from or (clock.today() if current.valid_until < clock.today() else current.valid_from)
    _check_pass_dates(valid_from, valid_until)
    current.valid_from, current.valid_until = valid_from, valid_until
    current.renewals += 1
    current.save(update_fields=["valid_from", "valid_until", "renewals"])
    service_record_write(project=current.project, procedure_code="access_pass", clerk=clerk, started_at=started,
                         finished_at=now, entry=current, action="renew")
    return current


@transaction.atomic
def pass_cancel(*, access_pass: AccessPass, clerk: User) -> AccessPass:
    return _transition(AccessPass, access_pass.pk, Q(status=AccessPass.Status.ACTIVE),
                       _("This pass is already cancelled."), status=AccessPass.Status.CANCELLED,
                       cancelled_at=clock.now(), cancelled_by=clerk)


# ---------------------------------------------------------------- IC cards
# The card's life as data: action -> (states it may start from, state it ends in).
CARD_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "confirm": ({Card.Status.MADE}, Card.Status.ISSUED),
    "return": ({Card.Status.ISSUED}, Card.Status.RETURNED),
    "scrap": ({Card.Status.MADE, Card.Status.ISSUED, Card.Status.RETURNED}, Card.Status.SCRAPPED),
}


def cards_remaining(project: Project, until: datetime | date | None = None) -> int:
    """Blank cards left: bought minus made (a scrapped card used its blank too)."""
    batches = CardBatch.objects.filter(project=project)
    cards = Card.objects.filter(project=project)
    if until is not None:
        batches = batches.filter(bought_on__lt=until.date() if hasattr(until, "date") else until)
        cards = cards.filter(made_at__lt=until)
    return (batches.aggregate(total=Sum("quantity"))["total"] or 0) - cards.count()


@transaction.atomic
def card_batch_record(*, project: Project, clerk: User, bought_on: date, quantity: int, supplier: str = "") -> CardBatch:
    return CardBatch.objects.create(project=project, bought_on=bought_on, quantity=quantity, supplier=supplier,
                                    recorded_by=clerk)


@transaction.atomic
def card_make(*, resident: Resident, clerk: User, number: str, photo: File | None = None,
              started_at: datetime | None = None) -> Card:
    """Make a card for a resident (photo and data entered). It is issued after a second look."""
    now = clock.now()
    started = _started(started_at, now)
    project = Project.objects.select_for_update().get(pk=resident.unit.project_id)  # serialises the stock check
    if Card.objects.filter(project=project, number=number).exists():
        raise BusinessRuleError({"number": [_("A card with this number already exists.")]})
    if cards_remaining(project) <= 0:
        raise StateConflict(_("No blank cards left: record a card purchase first."))
    card = Card.objects.create(project=project, number=number, resident=resident, unit=resident.unit, photo=photo,
                               made_by=clerk, made_at=now, started_at=started, finished_at=now)
    # seeds/004_418914185ea837fa.txt:35 IC卡发卡员: 确保20分钟内完成IC卡的办理、资料录入、退卡工作
    service_record_write(project=project, procedure_code="ic_card_issue", clerk=clerk, started_at=started,
                         finished_at=now, entry=card, action="make")
    return card


def _card_step(card: Card, action: str, **values: Any) -> Card:
    sources, target = CARD_TRANSITIONS[action]
    return _transition(Card, card.pk, Q(status__in=sources),
                       _("A card that is %(status)s cannot be changed this way.") % {"status": card.get_status_display()},
                       status=target, **values)


@transaction.atomic
def card_confirm(*, card: Card, clerk: User) -> Card:
    """The second look (004: 录入后应反复核对): the same or another clerk confirms and the card is issued."""
    return _card_step(card, "confirm", confirmed_by=clerk, confirmed_at=clock.now())


@transaction.atomic
def card_return(*, card: Card, clerk: User, started_at: datetime | None = None) -> Card:
    now = clock.now()
    started = _started(started_at, now)
    card = _card_step(card, "return", returned_at=now)
    service_record_write(project=card.project, procedure_code="ic_card_issue", clerk=clerk, started_at=started,
                         finished_at=now, entry=card, action="return")
    return card


@transaction.atomic
def card_scrap(*, card: Card, clerk: User, reason: str) -> Card:
    return _card_step(card, "scrap", scrapped_at=clock.now(), scrap_reason=reason[:200])


@transaction.atomic
def card_report_generate(*, project: Project, period: str) -> tuple[CardReport, bool]:
    """Freeze the monthly card report of ``period`` ("YYYY-MM"); the same period twice keeps the first."""
    from dutydesk.frontdesk.selectors import card_report

    existing = CardReport.objects.filter(project=project, period=period).first()
    if existing:
        return existing, False
    figures = card_report(project_ids=[project.pk], period=period)
    return CardReport.objects.create(project=project, period=period, generated_at=clock.now(),
                                     **{k: figures[k] for k in ("bought", "made", "scrapped", "remaining")}), True


# ---------------------------------------------------------------- mail and parcels
@transaction.atomic
def mail_sign_for(*, unit: Unit, clerk: User, kind: str = MailItem.Kind.PARCEL, sender: str = "",
                  tracking_number: str = "", description: str = "") -> MailItem:
    """The desk signs for mail (seeds/000_d44081c6db2527f0.txt:382 篇18 客服员: 平邮信件、报刊的代签收) and tells the residents."""
    item = MailItem.objects.create(project_id=unit.project_id, unit=unit, kind=kind, sender=sender,
                                   tracking_number=tracking_number, description=description, signed_by=clerk,
                                   signed_at=clock.now())
    notified = 0
    for resident in Resident.objects.filter(unit=unit, user__isnull=False, move_out_date__isnull=True).select_related("user"):
        if resident.user is None:  # never: the query keeps residents with a portal login
            continue
        notify(user=resident.user, title=_("%(kind)s for %(unit)s is waiting at the front desk")
               % {"kind": item.get_kind_display(), "unit": unit},
               body=" ".join(filter(None, [sender, tracking_number, description])))
        notified += 1
    if notified:
        item.residents_notified = notified
        item.save(update_fields=["residents_notified"])
    return item


@transaction.atomic
def mail_deliver(*, item: MailItem, user: User) -> MailItem:
    """The floor butler takes it to the unit (seeds/000_d44081c6db2527f0.txt:382 篇18: 交由楼层管家负责送达至业户单元)."""
    return _transition(MailItem, item.pk, Q(status=MailItem.Status.PENDING), _("This item has already been handed over."),
                       status=MailItem.Status.DELIVERED, handed_over_at=clock.now(), handed_over_by=user)


@transaction.atomic
def mail_collect(*, item: MailItem, clerk: User, collected_by_name: str) -> MailItem:
    return _transition(MailItem, item.pk, Q(status=MailItem.Status.PENDING), _("This item has already been handed over."),
                       status=MailItem.Status.COLLECTED, handed_over_at=clock.now(), handed_over_by=clerk,
                       collected_by_name=collected_by_name)
