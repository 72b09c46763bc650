"""Work orders (工单): complaints, repairs, enquiries, suggestions and praise.

首问负责制 (seeds/004_418914185ea837fa.txt 篇2, 002): the staff member who receives a ticket is its ``owner`` for life;
dispatch changes the ``assignee`` (or the post queue ``assigned_post``), never the owner.
Every state change is a ``TicketEvent`` (the timeline the API returns) and a simple_history row."""
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dutydesk.core import clock
from dutydesk.core.choices import ChoiceLabels
from dutydesk.core.i18n import bilingual


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("complaint")
    REPAIR = "repair", _("repair")
    ENQUIRY = "enquiry", _("enquiry")
    SUGGESTION = "suggestion", _("suggestion")
    PRAISE = "praise", _("praise")


class Priority(models.TextChoices):
    LOW = "low", _("low")
    NORMAL = "normal", _("normal")
    HIGH = "high", _("high")
    URGENT = "urgent", _("urgent")


def priority_rank() -> models.Case:
    """A work order's priority as a number, urgent highest (``low`` 0 … ``urgent`` 3): the lists' "sort by priority"
    and the index that reads a project's work orders in that order (``ticket_project_priority``) say it alike, so
    that PostgreSQL matches the one to the other."""
    return models.Case(*[models.When(priority=value, then=models.Value(rank)) for rank, value in
                         enumerate([Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT])],
                       default=models.Value(1), output_field=models.IntegerField())


class Channel(models.TextChoices):
    FRONT_DESK = "front_desk", _("front desk")
    PHONE = "phone", _("phone")
    PORTAL = "portal", _("resident portal")
    PATROL = "patrol", _("patrol")
    EMAIL = "email", _("e-mail")


class Status(models.TextChoices):
    NEW = "new", _("new")
    DISPATCHED = "dispatched", _("dispatched")
    IN_PROGRESS = "in_progress", _("in progress")
    ON_HOLD = "on_hold", _("on hold")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


# The clock runs (and a ticket can be overdue or escalate) only in these states.
RUNNING = (Status.NEW, Status.DISPATCHED, Status.IN_PROGRESS)
OPEN = (*RUNNING, Status.ON_HOLD)
# The first receiver owns a case until it is closed (首问负责制, PRODUCT.md; 004 篇2): open, or resolved and waiting
# for its return visit. "My cases" lists these.
FOLLOWED = (*OPEN, Status.RESOLVED)
# seeds/000_d44081c6db2527f0.txt:245 篇11 / 004 篇2: every complaint (and every repair) gets a return visit before it closes.
NEEDS_RETURN_VISIT = (Kind.COMPLAINT, Kind.REPAIR)


class TicketCategory(models.Model):
    """A category (repair trade or subject); ``project`` empty = offered in every project."""

    project = models.ForeignKey("archive.Project", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="ticket_categories", verbose_name=_("project"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="ticket_category_code_unique_in_project"),
            models.UniqueConstraint(fields=["code"], condition=Q(project__isnull=True),
                                    name="ticket_category_code_unique_global"),
        ]
        verbose_name = _("work-order category")
        verbose_name_plural = _("work-order categories")

    def __str__(self):
        return bilingual(self.name, self.name_en)


class SLAPolicy(models.Model):
    """First-response and resolution targets per kind × priority (``priority`` empty = any).
    A project-specific row wins over a global one (``project`` empty). Targets count in the
    project's service calendar (see ``dutydesk.tickets.sla``)."""

    class Unit(models.TextChoices):
        SAME_DAY = "same_day", _("by the end of the service day")
        MINUTES = "minutes", _("service minutes")
        HOURS = "hours", _("service hours")
        WORKING_DAYS = "working_days", _("working days")

    project = models.ForeignKey("archive.Project", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="sla_policies", verbose_name=_("project"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, blank=True)
    response_amount = models.PositiveIntegerField(_("first response within"), default=1)
    response_unit = models.CharField(_("first response unit"), max_length=14, choices=Unit.choices,
                                     default=Unit.SAME_DAY)
    resolution_amount = models.PositiveIntegerField(_("resolution within"), default=3)
    resolution_unit = models.CharField(_("resolution unit"), max_length=14, choices=Unit.choices,
                                       default=Unit.WORKING_DAYS)
    # After an escalation the superior gets this much service time before it climbs again.
    escalation_minutes = models.PositiveIntegerField(_("climb again after (service minutes)"), default=240)
    source = models.CharField(_("source"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "priority"], name="sla_policy_unique"),
            models.UniqueConstraint(fields=["kind", "priority"], condition=Q(project__isnull=True),
                                    name="sla_policy_unique_global"),
        ]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self):
        return f"{self.get_kind_display()} {self.get_priority_display() or '*'}"


class TicketCounter(models.Model):
    """The last number issued per project and year; locked while a ticket is created so numbers
    are gapless (a rolled-back create gives its number back)."""

    project = models.ForeignKey("archive.Project", verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="ticket_counter_unique")]
        verbose_name = _("ticket counter")
        verbose_name_plural = _("ticket counters")


class Ticket(ChoiceLabels, models.Model):
    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="tickets",
                                verbose_name=_("project"))
    number = models.CharField(_("number"), max_length=20)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, default=Channel.PHONE)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    category = models.ForeignKey(TicketCategory, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="tickets", verbose_name=_("category"))
    unit = models.ForeignKey("archive.Unit", on_delete=models.PROTECT, related_name="tickets", verbose_name=_("unit"))
    resident = models.ForeignKey("archive.Resident", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="tickets", verbose_name=_("resident"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # 首问负责人: set once (at intake, or by the first staff member to act on a portal ticket).
    # A caller who is not in the archive (a visitor, a neighbour, a new tenant): who called and how to call back.
    caller_name = models.CharField(_("caller name"), max_length=60, blank=True)
    caller_phone = models.CharField(_("caller phone"), max_length=20, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="owned_tickets", verbose_name=_("first-ask owner"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="assigned_tickets", verbose_name=_("assignee"))
    assigned_post = models.ForeignKey("org.Post", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="ticket_queue", verbose_name=_("post queue"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(_("received at"), default=clock.now)
    response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    # Hold (waiting for the resident) pauses the clock: due times shift by the paused service time.
    held_since = models.DateTimeField(_("on hold since"), null=True, blank=True)
    held_from_status = models.CharField(_("held from status"), max_length=12, choices=Status.choices, blank=True)
    held_minutes = models.PositiveIntegerField(_("service minutes on hold"), default=0)
    # Escalation (升级): the next breach time, the level reached and the post it was escalated to.
    escalation_due = models.DateTimeField(_("escalates at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_post = models.ForeignKey("org.Post", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="escalated_tickets", verbose_name=_("escalated to"))
    # The first-response target (response_due: same-day reply, 48 h) climbs one post when it passes unanswered
    # (seeds/000_d44081c6db2527f0.txt:367 篇16: 客户提出的问题务必当天给予回复; seeds/002_59da8478c28f7f86.txt:1338 篇6:
    # 约定答复时间不超过48h); set once, so the missed reply climbs once.
    response_escalated_at = models.DateTimeField(_("first response escalated at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # Repair work orders
    location = models.CharField(_("location"), max_length=200, blank=True)
    materials = models.TextField(_("materials used"), blank=True)
    labour_minutes = models.PositiveIntegerField(_("labour (minutes)"), null=True, blank=True)
    charge = models.ForeignKey("billing.OneOffCharge", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("paid-service charge"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="ticket_number_unique_in_project"),
        ]
        indexes = [
            # the overdue queue of one assignee / of one owner (scripts/bench_tickets.py)
            # the project rides along so that counting a technician's overdue queue (200,000 at 10M tickets) reads
            # the index only, not every ticket's row to check the project the visibility rule names
            # (a trailing key column rather than INCLUDE, which SQLite does not know)
            # and the status, so that it serves the technician's "my work" tab too (every open status, on hold
            # included, by due time: 10M work orders, 0.5 s through all their tickets without it)
            models.Index(fields=["assignee", "resolution_due", "id", "project", "status"], name="ticket_assignee_open_due",
                         condition=Q(status__in=["new", "dispatched", "in_progress", "on_hold"])),
            models.Index(fields=["owner", "status", "created_at"], name="ticket_owner_status_created"),
            # "my cases": the cases a person owns until closed, most urgent first, read in order and stopped at the
            # page (a clerk owning 5M open work orders of 10^7: 14 s sorting all of them for the home page)
            models.Index(fields=["owner", "resolution_due", "id"], name="ticket_owner_followed_due",
                         condition=Q(status__in=list(FOLLOWED))),  # the tab's own condition
            models.Index(fields=["assigned_post", "status"], name="ticket_post_status"),
            # per project, so that "which projects have work orders to escalate" is one probe per project and the
            # per-project escalation reads its batch in order, however large a backlog is (tickets/escalation.py)
            models.Index(fields=["project", "escalation_due", "id"], name="ticket_running_escalation",
                         condition=Q(status__in=["new", "dispatched", "in_progress"])),
            # running tickets nobody has answered yet, by their first-response target (tickets.escalate_response)
            models.Index(fields=["project", "response_due", "id"], name="ticket_running_unanswered",
                         condition=Q(status__in=["new", "dispatched", "in_progress"], first_response_at__isnull=True,
                                     response_escalated_at__isnull=True)),
            models.Index(fields=["status", "resolved_at"], name="ticket_status_resolved"),
            models.Index(fields=["unit", "-created_at"], name="ticket_unit_created"),
            # a floor butler's running work orders by their units' ids (their overdue and undispatched tabs): the
            # probes of 3,800 units' ids read the running ones alone (600,000 units: the overdue count 47 → 13 ms)
            models.Index(fields=["unit"], name="ticket_unit_running",
                         condition=Q(status__in=["new", "dispatched", "in_progress"])),
            # the project-wide lists at a group's scale (issue 11): overdue, newest first, waiting for dispatch
            models.Index(fields=["project", "resolution_due", "id"], name="ticket_project_running_due",
                         condition=Q(status__in=["new", "dispatched", "in_progress"])),
            models.Index(fields=["project", "-created_at", "-id"], name="ticket_project_created"),
            # every work order of a project by due (the lists' "sort by due", NULLS LAST as a btree keeps them): a
            # project's list reads it in order and stops at the page, a group's list merges its projects' pages
            # (core.paging.ProjectByProject) instead of sorting every work order they have
            models.Index(fields=["project", "resolution_due", "id"], name="ticket_project_due"),
            # and by priority, urgent first, then by due ("sort by priority"): the expression the list sorts by
            models.Index(F("project"), priority_rank().desc(), F("resolution_due"), F("id"),
                         name="ticket_project_priority"),
            # the open ones alone, in the same order ("open" filter, by priority): a project's branch of a merged
            # list then reads its page's rows and no closed work order between them (40 projects, 10^6 work
            # orders, page 10: 2,500 rows read per project for 500 kept, 154 → 53 ms); a real project's open work
            # orders are a few of its years of them, so walking the index above for them reads mostly closed ones
            models.Index(F("project"), priority_rank().desc(), F("resolution_due"), F("id"),
                         name="ticket_project_open_priority", condition=Q(status__in=list(OPEN))),
            # the overdue lists of someone who sees many projects whole (a group's manager: project_id IN 400 ids):
            # the (project, …) index gives each project's rows in order but not all of them together, so PostgreSQL
            # sorted every overdue work order for the home page's rows (40 projects, 10^6 work orders: 140 ms); this
            # walks them by due and stops at the page. (A global index newest first, tickets.0018, served the group's
            # all tab too, but the planner then walked it for a floor butler's all tab, filtering 220,000 work orders
            # for their 150 units' 50: 17 → 64 ms at 10^6. tickets.0019 drops it.)
            models.Index(fields=["resolution_due", "id"], name="ticket_running_due",
                         condition=Q(status__in=list(RUNNING))),  # the overdue lists' own condition
            models.Index(fields=["project", "status", "created_at", "id"], name="ticket_project_status_created"),
            # "does this person have tickets outside the projects their posts cover?" (selectors.visibility)
            models.Index(fields=["owner", "project"], name="ticket_owner_project"),
            models.Index(fields=["assignee", "project"], name="ticket_assignee_project"),
            # the 09:00 sweep: each owner's open complaints, oldest first (tickets/sweeps.py), counted and ranked off
            # this index alone (10M work orders: 5.4 s reading them all)
            models.Index(fields=["owner", "project", "created_at", "id"], name="ticket_open_complaint_owner",
                         condition=Q(kind=Kind.COMPLAINT, status__in=list(OPEN))),  # the sweep's own condition
            # the monthly report's work orders per kind (selectors.work_orders_by_kind), each figure off an index:
            # resolved in the month (also the SLA figures' range), and those never resolved, which are open at the
            # end of any month they were received before (10M work orders: 3.4 s reading all of them)
            models.Index(fields=["project", "resolved_at", "kind"], name="ticket_project_resolved"),
            models.Index(fields=["project", "kind", "created_at"], name="ticket_unresolved_by_kind",
                         condition=Q(resolved_at__isnull=True) & ~Q(status=Status.CANCELLED)),
            # a month's work orders of one kind whatever their state: the complaints-closed-in-3-days KPI on a
            # supervisor's home page (10M work orders: 1.4 s through the month of every kind, 0.17 s with it), with
            # what that KPI reads of each (closed when, cancelled or not) so it is counted off the index alone
            models.Index(fields=["project", "kind", "created_at", "closed_at", "status"],
                         name="ticket_kind_created_closed"),
        ]
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_open(self):
        return self.status in OPEN

    @property
    def needs_return_visit(self):
        return self.kind in NEEDS_RETURN_VISIT

    @property
    def is_overdue(self):
        return overdue_at(self.status, self.resolution_due, clock.now())

    @property
    def remaining_minutes(self):
        """Wall-clock minutes left to the resolution target (negative = overdue); frozen on hold."""
        return minutes_left(self.status, self.resolution_due, self.held_since, clock.now())


def overdue_at(status: str, resolution_due: datetime | None, now: datetime) -> bool:
    """Running past its resolution target (a ticket's ``is_overdue``, and the queue table's rows read as values)."""
    return status in RUNNING and resolution_due is not None and resolution_due < now


def minutes_left(status: str, resolution_due: datetime | None, held_since: datetime | None,
                 now: datetime) -> int | None:
    """Wall-clock minutes left to the resolution target (negative = overdue), frozen while on hold; None when the
    ticket is finished or has no target."""
    if resolution_due is None or status not in OPEN:
        return None
    reference = held_since if status == Status.ON_HOLD and held_since else now
    return int((resolution_due - reference).total_seconds() // 60)


def attachment_path(instance, filename):
    return f"tickets/{clock.today():%Y/%m}/{filename}"


class TicketAttachment(models.Model):
    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name

    @property
    def is_image(self):
        return self.name.lower().rsplit(".", 1)[-1] in {"jpg", "jpeg", "png", "gif", "webp"}


class TicketEvent(models.Model):
    """One line of a ticket's timeline: who did what, from which status to which, and why."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), default=clock.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("by"))
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12, blank=True)
    note = models.TextField(_("note"), blank=True)
    internal = models.BooleanField(_("internal"), default=False)  # not shown to the resident (escalations)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at"])]
        verbose_name = _("work-order event")
        verbose_name_plural = _("work-order events")


class ReturnVisit(models.Model):
    """回访: how the resident was reached and how satisfied they are (1–5)."""

    class Method(models.TextChoices):
        PHONE = "phone", _("phone")
        SMS = "sms", _("SMS")
        VISIT = "visit", _("visit")
        EMAIL = "email", _("e-mail")
        PORTAL = "portal", _("resident portal rating")

    class Outcome(models.TextChoices):
        CLOSED = "closed", _("closed")
        REOPENED = "reopened", _("reopened")

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="return_visits")
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"))
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("time"), default=clock.now)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.CheckConstraint(condition=Q(satisfaction__gte=1, satisfaction__lte=5),
                                              name="return_visit_satisfaction_1_to_5")]
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")


# ---- kept figures (tickets/figures.py): the trends over months read these, not millions of work orders ----

class KeptMonth(models.Model):
    """A row of one project's kept figures for one month (``tickets/figures.py``)."""

    project = models.ForeignKey("archive.Project", verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="+")
    month = models.DateField(_("month"), help_text="the first day of the month")

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["project", "month"], name="%(class)s_project_month")]


class ResolvedMonth(KeptMonth):
    """What one project's work orders resolved in one month add up to, per kind, category and assignee: the SLA
    figures (with a resolution target, resolved by it) and the return-visit figures (visited, the visits'
    satisfaction). The current month's rows cover its days before ``KeptFigures.until``. Rows are facts to add up: a
    key may appear twice (the work orders' counts and the visits' satisfaction are written by two statements);
    readers always SUM."""

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # no database constraint: kept figures never block deleting a category or a user (their name then reads "—")
    category = models.ForeignKey(TicketCategory, verbose_name=_("category"), null=True, on_delete=models.DO_NOTHING,
                                 db_constraint=False, related_name="+")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assignee"), null=True,
                                 on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    resolved = models.PositiveIntegerField(_("resolved"), default=0)
    with_target = models.PositiveIntegerField(_("with target"), default=0)
    within_target = models.PositiveIntegerField(_("within target"), default=0)
    visited = models.PositiveIntegerField(_("visited"), default=0)
    satisfaction_sum = models.PositiveIntegerField(_("satisfaction sum"), default=0)
    satisfaction_count = models.PositiveIntegerField(_("satisfaction count"), default=0)

    class Meta(KeptMonth.Meta):
        verbose_name = _("kept figures of a month's resolved work orders")
        verbose_name_plural = _("kept figures of resolved work orders")


class ReceivedMonth(KeptMonth):
    """What one project's work orders received in one month add up to for first responses: how many had their
    first-response target due (or were answered) when the month was kept, and how many were answered by it."""

    responses_due = models.PositiveIntegerField(_("responses due"), default=0)
    answered_in_time = models.PositiveIntegerField(_("answered in time"), default=0)

    class Meta(KeptMonth.Meta):
        verbose_name = _("kept figures of a month's received work orders")
        verbose_name_plural = _("kept figures of received work orders")


class KeptFigures(models.Model):
    """Up to which local day (``until``, exclusive) a project's ``ResolvedMonth`` and ``ReceivedMonth`` rows count
    its work orders, and when they were last refreshed. No row: nothing kept, every figure is read live."""

    project = models.OneToOneField("archive.Project", verbose_name=_("project"), on_delete=models.CASCADE,
                                   primary_key=True, related_name="+")
    until = models.DateField(_("until"))
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("kept work-order figures")
        verbose_name_plural = _("kept work-order figures")
