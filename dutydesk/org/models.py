"""Organisation, departments, posts (岗位) with duties, time standards, routines and KPIs,
and the staff who hold posts per project (optionally scoped to buildings/floors)."""
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from dutydesk.core.i18n import bilingual


class BilingualName(models.Model):
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)

    class Meta:
        abstract = True

    @property
    def display_name(self) -> str:
        return bilingual(self.name, self.name_en)

    def __str__(self) -> str:
        return self.display_name


class Organisation(BilingualName):
    code = models.SlugField(_("code"), unique=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")


class Catalog(BilingualName):
    """A post catalogue imported from YAML (docs/catalog.md)."""

    code = models.SlugField(_("code"), unique=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("post catalogue")
        verbose_name_plural = _("post catalogues")


class Department(BilingualName):
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="departments")
    catalog = models.ForeignKey(Catalog, verbose_name=_("catalog"), on_delete=models.PROTECT,
                                related_name="departments")
    code = models.SlugField(_("code"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["catalog", "code"], name="department_code_unique_in_catalog")]
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class Procedure(BilingualName):
    """A procedure that has a service-time standard (服务时限), e.g. key lending."""

    code = models.SlugField(_("code"), unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")


class Post(BilingualName):
    class Scope(models.TextChoices):
        PROJECT = "project", _("whole project")
        FLOORS = "floors", _("assigned buildings/floors")

    catalog = models.ForeignKey(Catalog, verbose_name=_("catalog"), on_delete=models.PROTECT, related_name="posts")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="posts",
                                   verbose_name=_("department"))
    code = models.SlugField(_("code"), max_length=80, unique=True)
    superior = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="subordinates", verbose_name=_("superior post"))
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.PROJECT)
    permissions = models.JSONField(_("permissions"), default=list, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["catalog_id", "position", "id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def chain_of_superiors(self) -> list["Post"]:
        """This post's superiors, nearest first (stops on a cycle, which import forbids)."""
        seen, post = {self.pk}, self.superior
        chain: list[Post] = []
        while post is not None and post.pk not in seen:
            chain.append(post)
            seen.add(post.pk)
            post = post.superior
        return chain


class Duty(models.Model):
    """A duty sentence of a post (职责) and what in the system executes it (docs/catalog.md "Duty coverage"):
    ``executed_by`` = [{kind: routine | register | module | kpi | standard, ref, name, name_en}] as the catalogue
    links it (names copied at import; a module's name is its permission's label). Empty = not yet executed (未落地)."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", _("routine")
        REGISTER = "register", _("register")
        MODULE = "module", _("module")
        KPI = "kpi", _("KPI")
        STANDARD = "standard", _("time standard")

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="duties")
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("duty"))
    executed_by = models.JSONField(_("executed by"), default=list, blank=True)

    class Meta:
        ordering = ["post_id", "position"]
        verbose_name = _("duty")
        verbose_name_plural = _("duties")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def executed(self) -> bool:
        return bool(self.executed_by)


class Standard(models.Model):
    """A service-time standard of a post: the procedure must be done within limit_minutes."""

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="standards")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="standards",
                                  verbose_name=_("procedure"))
    limit_minutes = models.PositiveIntegerField(_("time limit (minutes)"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "procedure"], name="standard_unique_per_post"),
            models.CheckConstraint(condition=Q(limit_minutes__gt=0), name="standard_limit_positive"),
        ]
        verbose_name = _("service-time standard")
        verbose_name_plural = _("service-time standards")

    def __str__(self) -> str:
        return f"{self.procedure} ≤ {self.limit_minutes} min"


class Routine(models.Model):
    """A recurring duty. Stored here; the duty engine (duties app) turns it into tasks."""

    class Schedule(models.TextChoices):
        DAILY = "daily", _("daily")
        WEEKLY = "weekly", _("weekly")
        MONTHLY = "monthly", _("monthly, before a day")
        EVERY_N_DAYS = "every_n_days", _("every N days")
        TIMES_PER_WEEK = "times_per_week", _("N times a week")

    class Assign(models.TextChoices):
        EACH = "each", _("one task per holder")
        SHARED = "shared", _("one task shared by the post")

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="routines")
    code = models.SlugField(_("code"), max_length=80)
    text = models.TextField(_("routine"))
    text_en = models.TextField(_("routine (English)"), blank=True)
    schedule = models.CharField(_("schedule"), max_length=20, choices=Schedule.choices)
    at = models.TimeField(_("due time"))
    weekday = models.PositiveSmallIntegerField(_("weekday (1=Mon)"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day of month"), null=True, blank=True)
    every = models.PositiveSmallIntegerField(_("every N days"), null=True, blank=True)
    times = models.PositiveSmallIntegerField(_("times a week"), null=True, blank=True)
    assign = models.CharField(_("assignment"), max_length=10, choices=Assign.choices, default=Assign.EACH)
    history = HistoricalRecords()

    class Meta:
        ordering = ["post_id", "id"]
        constraints = [models.UniqueConstraint(fields=["post", "code"], name="routine_code_unique_per_post")]
        verbose_name = _("routine")
        verbose_name_plural = _("routines")

    def __str__(self) -> str:
        return self.display_text[:60]

    @property
    def display_text(self) -> str:
        return bilingual(self.text, self.text_en)


class Register(BilingualName):
    """A register (登记/记录/台账) a catalogue declares (docs/catalog.md "Registers"): typed fields, the posts that
    write and read it, an optional numbering prefix, an optional time standard (an entry is started, then finished
    within ``limit_minutes``) and follow-ups (an entry matching a condition puts a task in a post's inbox).
    The entries are kept by the registers app; the definition lives here, with the posts it names."""

    class FieldType(models.TextChoices):
        TEXT = "text", _("text")
        NUMBER = "number", pgettext_lazy("answer kind", "number")
        MONEY = "money", _("amount (CNY)")
        DATE = "date", _("date")
        DATETIME = "datetime", _("date and time")
        CHOICE = "choice", _("choice")
        UNIT = "unit", _("unit")
        RESIDENT = "resident", _("resident")
        PHOTO = "photo", _("photo")
        BOOLEAN = "boolean", _("yes/no")

    catalog = models.ForeignKey(Catalog, verbose_name=_("catalog"), on_delete=models.PROTECT, related_name="registers")
    code = models.SlugField(_("code"), max_length=80, unique=True)
    number_prefix = models.CharField(_("numbering prefix"), max_length=12, blank=True)
    procedure = models.ForeignKey(Procedure, null=True, blank=True, on_delete=models.PROTECT, related_name="registers",
                                  verbose_name=_("procedure"))
    limit_minutes = models.PositiveIntegerField(_("time limit (minutes)"), null=True, blank=True)
    # [{code, name, name_en, type, required, choices: [{code, name, name_en}]}] in the catalogue's order
    fields = models.JSONField(_("fields"), default=list)
    # [{when: {field, equals | in | at_least}, post: post code, title, title_en, due_minutes}]
    follow_ups = models.JSONField(_("follow-ups"), default=list, blank=True)
    # {title, body, from, until, when}: entries shown to the project's residents while valid (notices, 公告)
    portal = models.JSONField(_("shown in the resident portal"), default=dict, blank=True)
    writers = models.ManyToManyField(Post, related_name="registers_written", verbose_name=_("posts that write it"))
    readers = models.ManyToManyField(Post, related_name="registers_read", blank=True,
                                     verbose_name=_("posts that read it"))
    position = models.PositiveIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["catalog_id", "position", "id"]
        verbose_name = _("register")
        verbose_name_plural = _("registers")

    @property
    def timed(self) -> bool:
        return self.limit_minutes is not None

    def field(self, code: str) -> dict | None:
        return next((f for f in self.fields if f["code"] == code), None)


class KPI(BilingualName):
    class Direction(models.TextChoices):
        HIGHER = "higher", _("higher is better")
        LOWER = "lower", _("lower is better")

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="kpis")
    code = models.SlugField(_("code"), max_length=80)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    unit = models.CharField(pgettext_lazy("measure of a KPI", "unit"), max_length=20, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("source"), max_length=40, default="manual")  # a KPI source (dutydesk.org.kpis)
    # source "register": which register, and what of its entries (count | on_time_rate | sum:<field> | avg:<field>)
    register = models.ForeignKey(Register, null=True, blank=True, on_delete=models.SET_NULL, related_name="kpis",
                                 verbose_name=_("register"))
    measure = models.CharField(_("measure"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["post_id", "id"]
        constraints = [models.UniqueConstraint(fields=["post", "code"], name="kpi_code_unique_per_post")]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")


class PostHolding(models.Model):
    """A staff member holds a post in a project; a floors-scoped post is limited to one building
    and optionally a floor range (a floor butler's floors)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="holdings",
                             verbose_name=_("staff member"))
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="holdings", verbose_name=_("post"))
    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="holdings",
                                verbose_name=_("project"))
    building = models.ForeignKey("archive.Building", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="holdings", verbose_name=_("building"))
    floor_from = models.SmallIntegerField(_("from floor"), null=True, blank=True)
    floor_to = models.SmallIntegerField(_("to floor"), null=True, blank=True)
    active = models.BooleanField(pgettext_lazy("post holding", "active"), default=True)  # 在任, not 启用
    since = models.DateField(_("since"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "post_id", "user_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(floor_from__isnull=True) | Q(floor_to__isnull=True) | Q(floor_from__lte=models.F("floor_to")),
                name="holding_floor_range_ordered",
            ),
        ]
        indexes = [models.Index(fields=["user", "active"])]
        verbose_name = _("post holding")
        verbose_name_plural = _("post holdings")

    def __str__(self) -> str:
        where = f" {self.building}" if self.building_id else ""
        if self.floor_from is not None:
            where += f" {self.floor_from}–{self.floor_to if self.floor_to is not None else ''}F"
        return f"{self.user} · {self.post} · {self.project}{where}"

    # The one scope rule: which units a holding covers. Access (org/access.py), the ticket lists, billing's dunning
    # and floor figures and the KPI cards all ask these three, so a floor butler sees and answers for the same units
    # everywhere.

    @property
    def on_floors(self) -> bool:
        """A floor butler's holding (楼层管家): a floors-scoped post held on a building. Any other holding, a
        floors-scoped post held without a building included, covers the whole project."""
        return self.post.scope == Post.Scope.FLOORS and self.building_id is not None

    def units_q(self, prefix: str = "", own_project: str | None = None) -> Q:
        """The units this holding covers, as a ``Q`` over units reached through ``prefix`` (``"unit__"`` from a
        ticket or a bill): a floor butler's building, floors ``floor_from``–``floor_to`` (either end may be open);
        otherwise the whole project. ``own_project``: the row's own project field, for rows that carry their unit's
        project (a bill's ``project_id``): the whole project is then said on the row, without a join to the units."""
        if not self.on_floors:
            return Q(**{own_project or f"{prefix}project_id": self.project_id})
        covered = Q(**{f"{prefix}building_id": self.building_id})
        if self.floor_from is not None:
            covered &= Q(**{f"{prefix}floor__gte": self.floor_from})
        if self.floor_to is not None:
            covered &= Q(**{f"{prefix}floor__lte": self.floor_to})
        return covered

    def covers(self, unit: Any) -> bool:  # an archive Unit (org sits below the archive)
        """``units_q`` for one unit, without a query."""
        if not self.on_floors:
            return self.project_id == unit.project_id
        return self.covers_floor(unit.building_id, unit.floor)

    def covers_floor(self, building_id: int | None, floor: int) -> bool:
        """For a floor butler's holding (``on_floors``): is ``floor`` of building ``building_id`` one of its floors?"""
        return (building_id == self.building_id and (self.floor_from is None or floor >= self.floor_from)
                and (self.floor_to is None or floor <= self.floor_to))

    def floors_among(self, floors: Iterable[int]) -> set[int]:
        """Which of ``floors`` (of this holding's building) are its floors: ``covers_floor`` for many floors at once,
        as a range when both ends are set (a KPI card sums a building's floors)."""
        if self.floor_from is not None and self.floor_to is not None:
            low, high = self.floor_from, self.floor_to
            return {floor for floor in floors if low <= floor <= high}
        return {floor for floor in floors if self.covers_floor(self.building_id, floor)}


def units_covered_q(holdings: Iterable["PostHolding"], prefix: str = "", own_project: str | None = None) -> Q:
    """The units any of ``holdings`` covers (their ``units_q`` OR-ed), through ``prefix``; no holding: no unit.
    A floor butler's records read through it are those of their own floors, which an index on the records' unit
    serves (their KPI card at 10M work orders: 2 s for the whole project's month, a few ms for their floors)."""
    holdings = list(holdings)
    covered = Q(pk__in=[])
    # the whole projects in one term (a group's manager holds their post in 40: one ``IN``, not 40 ORs to build,
    # compile and plan on every panel of their home page)
    if whole := sorted({holding.project_id for holding in holdings if not holding.on_floors}):
        covered |= Q(**{f"{own_project or f'{prefix}project_id'}__in": whole})
    for holding in holdings:
        if holding.on_floors:
            covered |= holding.units_q(prefix, own_project)
    return covered
