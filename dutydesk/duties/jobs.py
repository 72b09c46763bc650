"""Scheduler jobs of the duty engine (``dutydesk scheduler``), once per project and day / month; and the monthly
report as a background job (a page or ``Prefer: respond-async`` asks for its file)."""
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from dutydesk.archive.models import Project
from dutydesk.core.background import background_job
from dutydesk.core.scheduler import job


def _projects_with_routines(now):
    return Project.objects.filter(holdings__active=True, holdings__post__routines__isnull=False)


@job("duties.routines", "turn the catalogue's routines into today's (this week's, this month's) tasks",
     per_project=True, period="day", projects=_projects_with_routines)
def generate_routine_tasks(now, project):
    from dutydesk.duties.services import routine_tasks_generate

    return routine_tasks_generate(day=timezone.localtime(now).date(), project=project)


def _projects_with_customers(now):
    from dutydesk.duties.cadence import CADENCE_POSTS

    return Project.objects.filter(holdings__active=True, holdings__post__code__in=CADENCE_POSTS)


@job("duties.customer_contact", "seeds 000 篇16 / 002 篇4: a task for every customer not contacted for a week "
     "(a new one: within a week)", per_project=True, period="day", projects=_projects_with_customers)
def customer_contact(now, project):
    from dutydesk.duties.cadence import customer_contact_tasks

    return customer_contact_tasks(project=project, now=now)


def _projects_with_spot_checks(now):
    from dutydesk.duties.sampling import INSPECTION_ROUTINE

    return Project.objects.filter(holdings__active=True, holdings__post__routines__code=INSPECTION_ROUTINE).distinct()


@job("duties.inspection_sample", "seeds/001_fc79cbfac9aecb91.txt:105 篇3: the duty manager's daily spot check names "
     "whom to check (all of 5 or fewer staff, 50 % of 6–20, 30 % of more than 20)", per_project=True, period="day",
     projects=_projects_with_spot_checks)
def inspection_sample(now, project):
    from dutydesk.duties.sampling import inspection_samples_describe

    return inspection_samples_describe(day=timezone.localtime(now).date(), project=project)


@job("duties.monthly_report", "on the 1st: the department's report of last month (PDF + Excel) to the archivist",
     per_project=True, period="month", projects=lambda now: Project.objects.filter(holdings__active=True))
def generate_monthly_reports(now, project):
    from dutydesk.core.periods import Period
    from dutydesk.duties.reports import archivist_task_for, monthly_report_generate

    report, made = monthly_report_generate(project=project,
                                           period=Period.month_of(timezone.localtime(now).date()).previous())
    archivist_task_for(report)
    return int(made)


REPORT_FILES = ("pdf", "xlsx")


def _may_see_the_report(user, job):
    from dutydesk.duties.api import may_see_monthly_report

    return may_see_monthly_report(user, Project(pk=job.params.get("project")))


@background_job("duties.monthly_report_file", title=_("Monthly report file"), may_download=_may_see_the_report)
def monthly_report_file(job, *, project, period, file="pdf"):
    """The monthly report of a project as PDF or Excel: the stored file when the report was generated (on the 1st),
    else the figures computed now and rendered for this download (nothing stored as the month's report)."""
    from dutydesk.duties.models import MonthlyReport
    from dutydesk.core.periods import Period
    from dutydesk.duties.reports import monthly_report_data, render_report, report_file

    project, period = Project.objects.get(pk=project), Period.parse(period)
    stored = MonthlyReport.objects.filter(project=project, period=period.start).first()
    if stored is not None:
        job.attach_stored(report_file(stored, file).name)
        return {"report": stored.pk, "generated": True, "url": reverse("duties:monthly-report", args=[stored.pk])}
    job.report(5)
    with translation.override("zh-hans"):  # the department's report is in Chinese
        data = monthly_report_data(project, period)
    job.report(60)
    content = render_report(data, file)
    job.attach(f"monthly-report-{project.code}-{period.label}.{file}", content)
    return {"report": None, "generated": False}
