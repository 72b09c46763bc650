"""Reads of the front-desk registers: scoped querysets and set-based reports."""
from collections.abc import Collection, Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from collections.abc import Mapping
from typing import Any, TypedDict

from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django_stubs_ext import WithAnnotations

from dutydesk.archive.models import Project
from dutydesk.archive.selectors import unit_scope_by_ids
from dutydesk.core import clock
from dutydesk.core.periods import Period
from dutydesk.frontdesk.models import (AccessPass, Card, CardBatch, ExpectedVisitor, GoodsRelease, Key, KeyCount,
                                       KeyLoan, MailItem, ServiceRecord, Visit)
from dutydesk.org import access
from dutydesk.org.models import Post, Standard

RATE_PLACES = Decimal("0.0001")


def parse_period(value: str) -> tuple[datetime, datetime]:
    """'YYYY-MM' -> (start, end) aware datetimes in the project time zone, end exclusive."""
    period = Period.parse(value, message=_("Give the period as YYYY-MM."))
    return period.start_at, period.end_at


def rate(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """A ratio as a decimal with 4 places ("0.8333"); None when there is nothing to measure."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- keys
class OpenLoan(TypedDict):
    """What ``keys_for`` adds to each key from its open loan (None when the key is in custody)."""
    loan_id: int | None
    due_at: datetime | None
    borrower_name: str | None


def keys_for(user: Any) -> "QuerySet[WithAnnotations[Key, OpenLoan]]":  # quoted: WithAnnotations is typing-only
    open_loan = KeyLoan.objects.filter(key=OuterRef("pk"), returned_at__isnull=True)
    return (Key.objects.filter(access.project_scope(user, "frontdesk.keys"))
            .select_related("unit__building")
            .annotate(loan_id=Subquery(open_loan.values("pk")[:1]),
                      due_at=Subquery(open_loan.values("due_at")[:1]),
                      borrower_name=Subquery(open_loan.values("borrower_name")[:1])))


def overdue_keys(queryset: "QuerySet[WithAnnotations[Key, OpenLoan]]",
                 now: datetime | None = None) -> "QuerySet[WithAnnotations[Key, OpenLoan]]":
    """Keys still out after the end of the day they were lent on."""
    return queryset.filter(status=Key.Status.LENT, due_at__lte=now or clock.now())


def overdue_loans(now: datetime | None = None) -> QuerySet[KeyLoan]:
    return KeyLoan.objects.filter(returned_at__isnull=True, key__status=Key.Status.LENT,
                                  due_at__lte=now or clock.now()).select_related("key__project", "key__unit__building")


def key_counts_for(user: Any) -> QuerySet[KeyCount]:
    return KeyCount.objects.filter(access.project_scope(user, "frontdesk.keys")).select_related("counted_by")


def key_summary(*, project_ids: Collection[int], period: str) -> dict[str, Any]:
    """The monthly key summary (seeds/004_418914185ea837fa.txt:110: 每月做好全区钥匙总结工作): loans, returns, late and lost keys."""
    start, end = parse_period(period)
    loans = KeyLoan.objects.filter(key__project_id__in=project_ids)
    figures = loans.aggregate(
        lends=Count("pk", filter=Q(lent_at__gte=start, lent_at__lt=end)),
        returns=Count("pk", filter=Q(returned_at__gte=start, returned_at__lt=end)),
        # due in the month and not back by the time it was due
        overdue=Count("pk", filter=Q(due_at__gte=start, due_at__lt=end)
                      & (Q(returned_at__gt=F("due_at")) | Q(returned_at__isnull=True, due_at__lte=clock.now()))),
    )
    keys = Key.objects.filter(project_id__in=project_ids).aggregate(
        lost=Count("pk", filter=Q(lost_at__gte=start, lost_at__lt=end)),
        in_register=Count("pk", filter=~Q(status=Key.Status.LOST)))
    return {"period": period, **figures, **keys}


# ---------------------------------------------------------------- registers scoped by unit
# a floor butler's rows by their units' ids (archive.selectors.unit_scope_by_ids, as the work orders and the
# residents): their 19 building/floor ranges were ~170 condition objects built for the home page's counts alone
def visits_for(user: Any) -> QuerySet[Visit]:
    return Visit.objects.filter(unit_scope_by_ids(user, "frontdesk.visitors", "unit__")).select_related(
        "unit__building", "registered_by")


def expected_visitors_for_resident(user: Any) -> QuerySet[ExpectedVisitor]:
    return ExpectedVisitor.objects.filter(resident__user=user).select_related("unit__building")


def expected_visitors_for_desk(user: Any) -> QuerySet[ExpectedVisitor]:
    return ExpectedVisitor.objects.filter(unit_scope_by_ids(user, "frontdesk.visitors", "unit__"))


def goods_releases_for(user: Any) -> QuerySet[GoodsRelease]:
    return GoodsRelease.objects.filter(unit_scope_by_ids(user, "frontdesk.goods", "unit__")).select_related(
        "unit__building", "checked_out_by")


def passes_for(user: Any) -> QuerySet[AccessPass]:
    return AccessPass.objects.filter(unit_scope_by_ids(user, "frontdesk.passes", "unit__")).select_related(
        "unit__building", "issued_by")


def expired_passes(queryset: QuerySet[AccessPass], today: date | None = None) -> QuerySet[AccessPass]:
    return queryset.filter(status=AccessPass.Status.ACTIVE, valid_until__lt=today or clock.today())


def cards_for(user: Any) -> QuerySet[Card]:
    return Card.objects.filter(unit_scope_by_ids(user, "frontdesk.cards", "unit__")).select_related(
        "unit__building", "resident", "made_by", "confirmed_by")


def card_batches_for(user: Any) -> QuerySet[CardBatch]:
    return CardBatch.objects.filter(access.project_scope(user, "frontdesk.cards"))


def mail_for(user: Any) -> QuerySet[MailItem]:
    return MailItem.objects.filter(unit_scope_by_ids(user, "frontdesk.mail", "unit__")).select_related(
        "unit__building", "signed_by")


def mail_pending_by_floor(queryset: QuerySet[MailItem]) -> list[Mapping[str, Any]]:
    """Pending items per building and floor: the butler's round."""
    return list(queryset.filter(status=MailItem.Status.PENDING)
                .values(building=F("unit__building__name"), floor=F("unit__floor"))
                .annotate(count=Count("pk")).order_by("building", "floor"))


# ---------------------------------------------------------------- IC card report
def card_report(*, project_ids: Collection[int], period: str) -> dict[str, Any]:
    """004 IC卡发卡员 monthly report: bought, made and scrapped in the month; blanks remaining at its end."""
    start, end = parse_period(period)
    first_day, next_first = start.date(), end.date()
    batches = CardBatch.objects.filter(project_id__in=project_ids).aggregate(
        bought=Coalesce(Sum("quantity", filter=Q(bought_on__gte=first_day, bought_on__lt=next_first)), 0),
        bought_to_date=Coalesce(Sum("quantity", filter=Q(bought_on__lt=next_first)), 0))
    cards = Card.objects.filter(project_id__in=project_ids).aggregate(
        made=Count("pk", filter=Q(made_at__gte=start, made_at__lt=end)),
        made_to_date=Count("pk", filter=Q(made_at__lt=end)),
        scrapped=Count("pk", filter=Q(scrapped_at__gte=start, scrapped_at__lt=end)))
    return {"period": period, "bought": batches["bought"], "made": cards["made"], "scrapped": cards["scrapped"],
            "remaining": batches["bought_to_date"] - cards["made_to_date"]}


# ---------------------------------------------------------------- service times
def _limited(records: QuerySet[ServiceRecord]) -> QuerySet[ServiceRecord]:
    """Annotate each record with the limit in minutes that applies to it NOW: the standard of the
    clerk's post for the procedure, else the strictest standard of any post for it."""
    own = Standard.objects.filter(post=OuterRef("post"), procedure=OuterRef("procedure")).values("limit_minutes")[:1]
    strictest = (Standard.objects.filter(procedure=OuterRef("procedure")).order_by("limit_minutes")
                 .values("limit_minutes")[:1])
    return records.annotate(limit=Coalesce(Subquery(own), Subquery(strictest))).filter(limit__isnull=False)


def _within() -> Count:
    return Count("pk", filter=Q(duration_seconds__lte=F("limit") * 60))


def service_records(*, project_ids: Collection[int], start: datetime, end: datetime, procedure: str | None = None,
                    clerk: int | None = None) -> QuerySet[ServiceRecord]:
    records = ServiceRecord.objects.filter(project_id__in=project_ids, finished_at__gte=start, finished_at__lt=end)
    if procedure:
        records = records.filter(procedure__code=procedure)
    if clerk:
        records = records.filter(clerk_id=clerk)
    return _limited(records)


def _rows(grouped: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for row in grouped:
        row["compliance_rate"] = str(rate(row["within_limit"], row["count"]))
        rows.append(row)
    return rows


def service_time_report(*, project_ids: Collection[int], period: str, procedure: str | None = None,
                        clerk: int | None = None) -> dict[str, Any]:
    """Per procedure (and per procedure and clerk): count, within limit, compliance rate. Two
    aggregate queries whatever the number of records."""
    start, end = parse_period(period)
    records = service_records(project_ids=project_ids, start=start, end=end, procedure=procedure, clerk=clerk)
    aggregates = {"limit_minutes": Min("limit"), "count": Count("pk"), "within_limit": _within()}
    # rows typed as mappings: the stubs cannot see the keys that ``**aggregates`` adds
    per_procedure: QuerySet[Any, Mapping[str, Any]] = (
        records.values(procedure_code=F("procedure__code"), procedure_name=F("procedure__name"))
        .annotate(**aggregates).order_by("procedure_code"))
    per_clerk: QuerySet[Any, Mapping[str, Any]] = (
        records.values(procedure_code=F("procedure__code"), procedure_name=F("procedure__name"), clerk_pk=F("clerk"),
                       clerk_username=F("clerk__username"), clerk_first_name=F("clerk__first_name"),
                       clerk_last_name=F("clerk__last_name"))
        .annotate(**aggregates).order_by("procedure_code", "clerk_username"))
    results = [{"procedure": r["procedure_code"], "procedure_name": r["procedure_name"],
                "limit_minutes": r["limit_minutes"], "count": r["count"], "within_limit": r["within_limit"]}
               for r in per_procedure]
    by_clerk = [{"procedure": r["procedure_code"], "procedure_name": r["procedure_name"], "clerk": r["clerk_pk"],
                 "clerk_username": r["clerk_username"],
                 "clerk_name": f"{r['clerk_last_name']}{r['clerk_first_name']}" or r["clerk_username"],
                 "limit_minutes": r["limit_minutes"], "count": r["count"], "within_limit": r["within_limit"]}
                for r in per_clerk]
    return {"period": period, "results": _rows(results), "by_clerk": _rows(by_clerk)}


def service_time_compliance(*, start: datetime, end: datetime, user: Any = None, post: Post | None = None,
                            project: Project | None = None) -> Decimal | None:
    """Share of timed acts within their standard (Decimal 0–1, 4 places) — for the duty engine's
    ``service_time_compliance`` KPI source. None when nothing was timed."""
    records = ServiceRecord.objects.filter(finished_at__gte=start, finished_at__lt=end)
    if user is not None:
        records = records.filter(clerk=user)
    if post is not None:
        records = records.filter(post=post)
    if project is not None:
        records = records.filter(project=project)
    totals = _limited(records).aggregate(count=Count("pk"), within=_within())
    return rate(totals["within"], totals["count"])


def service_time_compliance_by_post_and_clerk(*, start: datetime, end: datetime, project: Project,
                                              post_ids: Iterable[int]) -> dict[tuple[int, int], tuple[int, int]]:
    """{(post id, clerk id): (timed acts, acts within their standard)} of the project's acts of ``post_ids`` finished
    in [start, end): the duty engine's ``service_time_compliance`` KPI for every scorecard at once (one GROUP BY;
    a post's figure adds up its clerks, a person's is their group; share = ``rate(within, acts)``)."""
    records = ServiceRecord.objects.filter(finished_at__gte=start, finished_at__lt=end, project=project,
                                           post_id__in=post_ids)
    rows = _limited(records).values_list("post_id", "clerk_id").annotate(count=Count("pk"), within=_within()).order_by()
    return {(post_id, clerk_id): (count, within) for post_id, clerk_id, count, within in rows}
