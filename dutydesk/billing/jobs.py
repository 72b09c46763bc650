"""Scheduled billing work (idempotent: each tick may repeat it safely)."""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dutydesk.archive.models import Project
from dutydesk.billing import services
from dutydesk.billing.models import BillingPolicy, BillRun
from dutydesk.core.background import background_job
from dutydesk.core.scheduler import job


@job("billing-late-fees", "Accrue late fees of overdue bills (projects with the rule on)")
def accrue_late_fees(now):
    today = timezone.localtime(now).date()
    written = 0
    for policy in BillingPolicy.objects.filter(late_fee_enabled=True).select_related("project"):
        written += services.late_fees_compute(project=policy.project, as_of=today)
    return written


@job("billing-fee-notice-task", "After a bill run, the archivist prints the fee notices before the 10th (seed 004)")
def fee_notice_tasks(now):
    period = f"{timezone.localtime(now):%Y-%m}"
    return sum(services.fee_notice_task_create(run=run)[1]
               for run in BillRun.objects.filter(period=period).select_related("project"))


@job("billing-dunning", "Arrears follow-up on the 10th and the 25th (seed 004)")
def dunning(now):
    today = timezone.localtime(now).date()
    if today.day not in (10, 25):  # seed 004: 每月10号、25号跟催欠费
        return 0
    created = 0
    for project in Project.objects.filter(bills__isnull=False).distinct():
        _run, was_created = services.dunning_run_create(project=project, on=today)
        created += was_created
    return created


@background_job("billing.run", title=_("Bill run"))
def bill_run(job, *, project, period):
    """A bill run handed to a worker (``Prefer: respond-async`` on ``POST /api/v1/billing/runs``)."""
    run, created = services.bill_run_create(project=Project.objects.get(pk=project), period=period, user=job.created_by)
    job.report(90)
    if created:
        services.fee_notice_task_create(run=run)
    return {"run": run.pk, "created": created, "bills_created": run.bills_created, "total": str(run.total),
            "url": f"/billing/runs/{run.pk}/"}
