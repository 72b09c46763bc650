"""Scheduler jobs of the stores (idempotent: a tick can run twice), and the ledger export as a background job."""
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dutydesk.archive.models import Project
from dutydesk.core.background import RowProgress, background_job
from dutydesk.core.models import BackgroundJob
from dutydesk.core.scheduler import job
from dutydesk.org.downloads import holding_in_job_project
from dutydesk.stock import exports, services
from dutydesk.stock.models import Item


@job("stock.daily_check", "Flag expired batches and put items below safety stock in the keeper's inbox",
     per_project=True, period="day", due=lambda local: local.hour >= 8,
     projects=lambda now: Project.objects.filter(stock_items__active=True).distinct())
def daily_check(now: datetime, project: Project) -> int:
    """Expired stock is flagged (and never issued: the issue reads the date, not the flag); an item that fell below its
    safety stock without an issue (its batches expired) still alerts the keeper, once per item and day. Set-based: a
    fixed number of queries whatever the number of items and batches. Returns how many batches were flagged and
    alerts made."""
    today = timezone.localtime(now).date()
    return services.expired_flag(project=project, today=today) + services.safety_alerts(project=project, today=today)


@background_job("stock.export_ledger", title=_("Quantity ledger export"),
                may_download=holding_in_job_project("stock.view"))
def export_ledger(job: BackgroundJob, *, project: int, start: str, end: str, item: int | None = None
                  ) -> dict[str, Any]:
    """The 三级数量帐 of ``start``..``end`` (ISO dates) as .xlsx: the page's export, with a progress bar."""
    chosen = Item.objects.filter(project_id=project, pk=item).first() if item else None
    content, filename = exports.ledger_file(project=project, start=date.fromisoformat(start),
                                            end=date.fromisoformat(end), item=chosen,
                                            progress=lambda total: RowProgress(job, total))
    job.attach(filename, content)
    return {"filename": filename, "url": f"/stock/ledger/?project={project}&from={start}&to={end}"}
