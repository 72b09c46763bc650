"""Scheduled billing work, once per project and day / month (idempotent besides); and billing's background jobs: the
bill run, the exports and the dunning notices (a page with a worker pool, or ``Prefer: respond-async``)."""
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dutydesk.archive.models import Project
from dutydesk.billing import exports, services
from dutydesk.billing.models import BillRun, DunningRun
from dutydesk.core.background import RowProgress, background_job
from dutydesk.core.scheduler import job
from dutydesk.org.downloads import holding_in_job_project


@job("billing-late-fees", "Accrue late fees of overdue bills (projects with the rule on)", per_project=True,
     period="day", projects=lambda now: Project.objects.filter(billing_policy__late_fee_enabled=True))
def accrue_late_fees(now, project):
    return services.late_fees_compute(project=project, as_of=timezone.localtime(now).date())


@job("billing-fee-notice-task", "After a bill run, the archivist prints the fee notices before the 10th (seeds/004_418914185ea837fa.txt)",
     per_project=True, period="month",
     projects=lambda now: Project.objects.filter(bill_runs__period=f"{timezone.localtime(now):%Y-%m}"))
def fee_notice_tasks(now, project):
    period = f"{timezone.localtime(now):%Y-%m}"
    runs = BillRun.objects.filter(project=project, period=period)
    return sum(services.fee_notice_task_create(run=run)[1] for run in runs)


@job("billing-dunning", "Arrears follow-up on the 10th and the 25th (seeds/004_418914185ea837fa.txt)", per_project=True, period="day",
     due=lambda local: local.day in (10, 25),  # seeds/004_418914185ea837fa.txt: 每月10号、25号跟催欠费
     projects=lambda now: Project.objects.filter(bills__isnull=False))
def dunning(now, project):
    _run, was_created = services.dunning_run_create(project=project, on=timezone.localtime(now).date())
    return int(was_created)


@background_job("billing.run", title=_("Bill run"))
def bill_run(job, *, project, period):
    """A bill run handed to a worker (``Prefer: respond-async`` on ``POST /api/v1/billing/runs``)."""
    run, created = services.bill_run_create(project=Project.objects.get(pk=project), period=period, user=job.created_by)
    job.report(90)
    if created:
        services.fee_notice_task_create(run=run)
    return {"run": run.pk, "created": created, "bills_created": run.bills_created, "total": str(run.total),
            "url": f"/billing/runs/{run.pk}/"}


# The files: the requester's view of the rows; the file may also be downloaded by whoever holds billing.view in the
# project through a whole-project post (a floor butler sees fewer units than the file may list).
MAY_DOWNLOAD = holding_in_job_project("billing.view")


def _stored(job, built):
    content, filename = built
    job.attach(filename, content)
    return {"filename": filename}


def _rows(job):
    return lambda total: RowProgress(job, total)


@background_job("billing.export_bills", title=_("Bills export"), may_download=MAY_DOWNLOAD)
def export_bills(job, *, project, period=None):
    return _stored(job, exports.bills_file(user=job.created_by, project=Project.objects.get(pk=project), period=period,
                                           progress=_rows(job)))


@background_job("billing.export_payments", title=_("Payments export"), may_download=MAY_DOWNLOAD)
def export_payments(job, *, project, **dates):
    date_from, date_to = (date.fromisoformat(dates[name]) if dates.get(name) else None for name in ("from", "to"))
    return _stored(job, exports.payments_file(user=job.created_by, project=Project.objects.get(pk=project),
                                              date_from=date_from, date_to=date_to, progress=_rows(job)))


@background_job("billing.export_arrears", title=_("Arrears export"), may_download=MAY_DOWNLOAD)
def export_arrears(job, *, project, as_of):
    return _stored(job, exports.arrears_file(user=job.created_by, project=Project.objects.get(pk=project),
                                             as_of=date.fromisoformat(as_of), progress=_rows(job)))


@background_job("billing.dunning_notices", title=_("Dunning notices"), may_download=MAY_DOWNLOAD)
def dunning_notices(job, *, project, run, building=None):
    dunning_run = DunningRun.objects.select_related("project").get(pk=run, project_id=project)
    return {**_stored(job, exports.dunning_notices_file(user=job.created_by, run=dunning_run, building=building,
                                                        progress=_rows(job))),
            "url": f"/billing/dunning/{dunning_run.pk}/"}
