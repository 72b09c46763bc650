"""Per-customer contact cadence (issue 15): nobody's customer goes more than a week without being contacted.

- seeds/000_d44081c6db2527f0.txt:366 篇16 item 4: 保证…所有客户不得有超过一周没有回访的情况 — no customer more than a week
  without a return visit;
- seeds/002_59da8478c28f7f86.txt:1000 篇4: 客服专员负责的客户，应在一周内与客户进行沟通 — a newly assigned customer is
  contacted within a week.

In the catalogues the posts that own customers this way are listed in ``CADENCE_POSTS``: the floor butler
(seeds/000_d44081c6db2527f0.txt:566 篇18 14.2: 负责就物业管理服务相关事项与业户代表…联系与沟通; :568 回访了解业户的满意程度). Their
customers are the residents (owners and tenants who have not moved out) of the units their holdings cover.

A contact is anything that reached the customer and is on record: an opinion collected from them, a return visit on
one of their work orders, a survey answer, or a cadence task completed (the butler's note of the visit). A record
that names only the unit counts for every customer of that unit.

Once a day (``duties.customer_contact``) every customer with no contact in the last week and no cadence task open
gets one task (``inbox.services.tasks_create_once``, in batches of 2,000) for the holder whose holding covers their unit: a customer
assigned less than a week ago (moved in, or the butler took the floors, in the last 7 days) is due a week after the
assignment; any other is due the same day. Set-based: a handful of queries whatever the number of residents, then
one task per customer who is due."""
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.archive.models import Project, Resident
from dutydesk.archive.selectors import ledger_order
from dutydesk.core import clock
from dutydesk.duties.models import Opinion, SurveyResponse
from dutydesk.inbox.models import Task
from dutydesk.inbox import services as inbox
from dutydesk.org.models import PostHolding, units_covered_q
from dutydesk.tickets import selectors as tickets

CADENCE_POSTS = ("floor-butler",)  # the posts whose holders own customers (see above)
CONTACT_EVERY = timedelta(days=7)  # seeds/000_d44081c6db2527f0.txt:366 篇16: 不得有超过一周没有回访
NEW_CUSTOMER_WITHIN = timedelta(days=7)  # seeds/002_59da8478c28f7f86.txt:1000 篇4: 应在一周内与客户进行沟通
DUE_AT = "17:00"  # product default: the task is due at the end of its day, like the routines
SOURCE = "customer_contact"
KEY_PREFIX = f"{SOURCE}:"


def task_key(resident_id: int, day: date) -> str:
    return f"{KEY_PREFIX}{resident_id}:{day:%Y-%m-%d}"


def _resident_of(key: str) -> int | None:
    try:
        return int(key[len(KEY_PREFIX):].split(":", 1)[0])
    except ValueError:
        return None


def cadence_holdings(project: Project | int) -> list[PostHolding]:
    return list(PostHolding.objects.filter(project=project, active=True, post__code__in=CADENCE_POSTS)
                .select_related("post", "user").order_by("pk"))


def _contacted(queryset: QuerySet, resident: str, unit: str) -> Exists:
    """A record of ``queryset`` that reached the customer: naming them, or naming only their unit."""
    return Exists(queryset.filter(Q(**{resident: OuterRef("pk")})
                                  | Q(**{f"{resident}__isnull": True, unit: OuterRef("unit_id")})))


def customers_without_contact(*, project: Project | int, holdings: Iterable[PostHolding], since: datetime,
                              now: datetime) -> QuerySet[Resident]:
    """The customers of ``holdings`` (current owners and tenants of the units they cover) with no contact on record
    in [since, now]. One query (the contacts are anti-joined, not loaded)."""
    scope = units_covered_q(holdings, "unit__")
    today = timezone.localtime(now).date()
    customers = (Resident.objects.filter(scope, unit__project=project,
                                         role__in=[Resident.Role.OWNER, Resident.Role.TENANT])
                 .filter(Q(move_out_date__isnull=True) | Q(move_out_date__gt=today))
                 .filter(Q(move_in_date__isnull=True) | Q(move_in_date__lte=today)))
    opinions = Opinion.objects.filter(project=project, received_at__gte=since, received_at__lte=now)
    visits = tickets.return_visits(project=project, start=since, end=now)
    answers = SurveyResponse.objects.filter(survey__project=project, submitted_at__gte=since, submitted_at__lte=now)
    return (customers.exclude(_contacted(opinions, "resident_id", "unit_id"))
            .exclude(_contacted(visits, "ticket__resident_id", "ticket__unit_id"))
            .exclude(_contacted(answers, "resident_id", "unit_id"))
            .select_related("unit__building").order_by(*ledger_order(), "pk"))


def _chased(holdings: list[PostHolding], project: Project | int, since: datetime) -> set[int]:
    """Customers with a cadence task open, or completed since ``since`` (the butler's visit): one query."""
    tasks = (Task.objects.filter(source=SOURCE, project=project, post_id__in={h.post_id for h in holdings})
             .filter(Q(status=Task.Status.OPEN) | Q(status=Task.Status.DONE, completed_at__gte=since))
             .values_list("source_key", flat=True))
    return {resident for key in tasks if (resident := _resident_of(key or "")) is not None}


def customer_contact_tasks(*, project: Project, now: datetime | None = None) -> int:
    """Put a task in the butler's inbox for every customer past the cadence (see the module); returns the number
    created. Idempotent: a customer with a task open is not chased again, and the key names the customer and day."""
    now = now or clock.now()
    holdings = cadence_holdings(project)
    if not holdings:
        return 0
    today = timezone.localtime(now).date()
    since = clock.at(today - CONTACT_EVERY + timedelta(days=1), "00:00")  # the week that runs out today
    chased = _chased(holdings, project, since)
    tasks: list[Task] = []
    created = 0
    # the holdings by building (a group's go-live: thousands of butlers, hundreds of thousands of customers);
    # a holding on the whole project is looked at for every building
    by_building: dict[int | None, list[PostHolding]] = {}
    for each in holdings:
        by_building.setdefault(each.building_id if each.on_floors else None, []).append(each)
    customers = customers_without_contact(project=project, holdings=holdings, since=since, now=now)
    for customer in customers.iterator(chunk_size=inbox.TASK_BATCH):  # memory flat, whatever the go-live
        if customer.pk in chased:
            continue
        candidates = by_building.get(customer.unit.building_id, []) + by_building.get(None, [])
        holding = min((h for h in candidates if h.covers(customer.unit)), key=lambda h: h.pk, default=None)
        if holding is None:  # pragma: no cover - the query's scope is the holdings' units
            continue
        assigned = max((day for day in (customer.move_in_date, holding.since) if day is not None), default=None)
        names = {"name": customer.name, "unit": customer.unit.label}
        if assigned is not None and assigned > today - NEW_CUSTOMER_WITHIN:  # newly assigned: a week to reach them
            due_on = assigned + NEW_CUSTOMER_WITHIN
            title = _("Contact the new customer %(name)s (%(unit)s) within a week") % names
        else:
            due_on = today
            title = _("Return visit to %(name)s (%(unit)s): no contact for a week") % names
        tasks.append(Task(
            source=SOURCE, source_key=task_key(customer.pk, today), title=title, due_at=clock.at(due_on, DUE_AT),
            assignee=holding.user, post=holding.post, project_id=getattr(project, "pk", project),
            url=reverse("archive:resident", args=[customer.pk]),
            description=_("Reach the customer and note how it went when you complete this task (it counts as the "
                          "contact); an opinion, a survey answer or a work order's return visit count too.")))
        if len(tasks) == inbox.TASK_BATCH:  # set-based, a batch at a time (a go-live: every customer at once)
            created, tasks = created + inbox.tasks_create_once(tasks), []
    return created + inbox.tasks_create_once(tasks)
