"""Scheduler jobs of the renovations (idempotent: a tick can run twice; set-based: one query finds every renovation
and inspection still to chase, the task keys say which are chased already).

- A renovation still under way after its last approved day becomes a task (once per approved end date: an extension
  that runs over again is chased again).
- A failed inspection that no later inspection passed becomes a task: the rectification is followed up
  (seeds/000_d44081c6db2527f0.txt:564 楼层管家: 跟进业户单元二次装修竣工验收 … 跟进整改项目落实).
Both go to the floor butler of the unit (:563 对装修现场进行巡查), or to the customer-service supervisor's post when no
butler covers it (:459 客服主管: 对装修现场进行巡查 … 上报上级)."""
from datetime import datetime, timedelta

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from dutydesk.archive.models import Project, Unit
from dutydesk.core import clock
from dutydesk.core.scheduler import job
from dutydesk.inbox.models import Task
from dutydesk.inbox.services import tasks_create_once
from dutydesk.occupancy import selectors
from dutydesk.occupancy.models import Renovation, RenovationInspection
from dutydesk.org.models import Post, PostHolding
from dutydesk.org.selectors import butler_holdings

SOURCE = "occupancy.renovation"
OVERDUE_PREFIX = "occupancy:renovation:"
FAILED_PREFIX = "occupancy:inspection:"
FALLBACK_POST = "cs-supervisor"


def _text(value: OuterRef) -> Cast:
    return Cast(value, CharField())


def overdue_unchased(now: datetime) -> QuerySet[Renovation]:
    key = Concat(Value(OVERDUE_PREFIX), _text(OuterRef("pk")), Value(":overdue:"), _text(OuterRef("extensions")))
    return (selectors.overdue_renovations(Renovation.objects.all(), timezone.localtime(now).date())
            .filter(~Exists(Task.objects.filter(source_key=key))))


def failed_unchased() -> QuerySet[RenovationInspection]:
    key = Concat(Value(FAILED_PREFIX), _text(OuterRef("pk")), Value(":failed"))
    return selectors.unresolved_failed_inspections().filter(~Exists(Task.objects.filter(source_key=key)))


def _projects(now: datetime) -> QuerySet[Project]:
    return Project.objects.filter(Q(pk__in=overdue_unchased(now).values("project_id"))
                                  | Q(pk__in=failed_unchased().values("renovation__project_id")))


def _butler_of(unit: Unit, holdings: list[PostHolding]) -> PostHolding | None:
    return next((holding for holding in holdings if holding.covers(unit)), None)


@job("occupancy.renovation_followups", "Overdue renovations and failed renovation inspections become tasks",
     per_project=True, projects=_projects)
def renovation_followups(now: datetime, project: Project) -> int:
    holdings = list(butler_holdings(project=project).order_by("pk"))
    fallback = Post.objects.filter(code=FALLBACK_POST).first()
    due_at = clock.at(timezone.localtime(now).date() + timedelta(days=1), "17:00")
    work = []
    for renovation in overdue_unchased(now).filter(project=project).select_related("unit__building"):
        with override("zh-hans"):
            title = _("Renovation of %(unit)s is past its end date %(day)s: check the works, extend or close") % {
                "unit": renovation.unit, "day": renovation.ends_on.isoformat()}
        work.append((f"{OVERDUE_PREFIX}{renovation.pk}:overdue:{renovation.extensions}", title, renovation))
    for inspection in (failed_unchased().filter(renovation__project=project)
                       .select_related("renovation__unit__building")):
        with override("zh-hans"):
            title = _("Renovation inspection of %(unit)s failed: follow up the rectification (%(note)s)") % {
                "unit": inspection.renovation.unit, "note": inspection.note[:60]}
        work.append((f"{FAILED_PREFIX}{inspection.pk}:failed", title, inspection.renovation))
    tasks = []
    for key, title, renovation in work:
        butler = _butler_of(renovation.unit, holdings)
        post = butler.post if butler else fallback  # the holdings come with their posts
        if post is None:
            continue  # no catalogue loaded: nobody to ask
        tasks.append(Task(source=SOURCE, source_key=key, title=title, due_at=due_at, project=project, post=post,
                          assignee_id=butler.user_id if butler else None,
                          url=reverse("occupancy:renovation", args=[renovation.pk])))
    return tasks_create_once(tasks)  # at once: a task a row cost two or three queries each
