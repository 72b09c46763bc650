"""Scheduler jobs of the front desk (idempotent: a tick can run twice)."""
import logging
from datetime import datetime, timedelta

from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.archive.models import Project
from dutydesk.core.scheduler import job
from dutydesk.frontdesk import selectors, services
from dutydesk.frontdesk.models import KeyLoan
from dutydesk.inbox.models import Task
from dutydesk.inbox.services import task_create_once
from dutydesk.org.models import Post

log = logging.getLogger(__name__)
KEY_TASK_PREFIX = "frontdesk:key-loan:"


def key_loan_task_key(loan_id: int) -> str:
    return f"{KEY_TASK_PREFIX}{loan_id}:overdue"


def key_keeper_post(project: Project) -> Post | None:
    """The post that lends keys in the catalogue (the one with the key_lending standard: 档案室资料员),
    preferring one held in the project."""
    posts = Post.objects.filter(standards__procedure__code="key_lending").order_by("position", "pk")
    return posts.filter(holdings__project=project, holdings__active=True).first() or posts.first()


def _overdue_loans_unchased(now: datetime) -> QuerySet[KeyLoan]:
    source_key = Concat(Value(KEY_TASK_PREFIX), Cast(OuterRef("pk"), CharField()), Value(":overdue"))
    return (selectors.overdue_loans(now)
            .annotate(has_task=Exists(Task.objects.filter(source_key=source_key))).filter(has_task=False))


@job("frontdesk.keys_overdue", "Keys not back by the end of the day they were lent become tasks for the archivist",
     per_project=True,
     projects=lambda now: Project.objects.filter(pk__in=_overdue_loans_unchased(now).values("key__project")))
def keys_overdue(now: datetime, project: Project) -> int:
    """seeds/004_418914185ea837fa.txt:24 档案室资料员: 钥匙即日借即日还 — every key still out after its day is chased."""
    post = key_keeper_post(project)
    created = 0
    for loan in _overdue_loans_unchased(now).filter(key__project=project):
        if post is None:
            log.warning("no post with a key_lending standard: key loan %s not chased", loan.pk)
            continue
        _task, was_created = task_create_once(
            source="frontdesk.key_overdue", source_key=key_loan_task_key(loan.pk), post=post, project=project,
            title=_("Key %(label)s not returned: lent to %(name)s (%(phone)s)")
            % {"label": loan.key.label, "name": loan.borrower_name, "phone": loan.borrower_phone},
            description=_("Lent at %(lent)s for: %(purpose)s. Due back by the end of that day.")
            % {"lent": timezone.localtime(loan.lent_at).strftime("%Y-%m-%d %H:%M"), "purpose": loan.purpose},
            due_at=loan.due_at + timedelta(hours=9), url=reverse("frontdesk:desk") + "?tab=keys")
        created += was_created
    return created


@job("frontdesk.card_report", "Freeze last month's IC-card report in the first days of the month (004: before the 5th)",
     per_project=True, period="month", due=lambda local: local.day <= 5,
     projects=lambda now: Project.objects.filter(card_batches__isnull=False))
def card_report(now: datetime, project: Project) -> bool:
    last_month = (timezone.localtime(now).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    return services.card_report_generate(project=project, period=last_month)[1]
