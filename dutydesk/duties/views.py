"""Staff pages of the duty engine (inbox, team, dashboard, scorecards, scores, opinions, surveys,
monthly reports) and the resident portal's survey pages. Views translate HTTP to services/selectors."""
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Min
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dutydesk.archive.models import Resident, Unit
from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.background import runs_in_background
from dutydesk.core.permissions import Denied
from dutydesk.core.paging import BoundedPaginator
from dutydesk.core.tasks import job_enqueue
from dutydesk.web.redirects import redirect_back
from dutydesk.duties import scorecards as scoring
from dutydesk.duties import selectors, services
from dutydesk.duties.api import may_see_monthly_report
from dutydesk.duties.dashboard import dashboard_data
from dutydesk.duties.models import Deduction, KPIValue, MonthlyReport, Opinion, Question, SurveyResponse
from dutydesk.core.periods import Period
from dutydesk.duties.reports import occupancy_rows, report_file, section_titles
from dutydesk.inbox import selectors as inbox_selectors
from dutydesk.inbox import services as inbox_services
from dutydesk.inbox.models import Task
from dutydesk.org import access
from dutydesk.org.models import KPI, Post, PostHolding
from dutydesk.tickets import figures as ticket_figures
from dutydesk.web.params import int_param, project_choice, projects_for


def _period(request) -> Period:
    """The ``?period=`` month; this month when it is missing or bad."""
    return Period.parse_or_none(request.GET.get("period")) or Period.current()


def _errors(exc):
    return {field: ", ".join(msgs) for field, msgs in exc.errors.items()}


# ---- inbox and tasks ---------------------------------------------------------------------------

@access.staff_required()
def inbox(request):
    due = request.GET.get("due") or "today"
    if due not in inbox_selectors.DUE_FILTERS:
        due = "today"
    mine = inbox_selectors.tasks_for_me(request.user)
    tasks = inbox_selectors.with_overdue(inbox_selectors.filter_due(mine, due)).order_by("due_at", "id")
    page = BoundedPaginator(tasks, 50).get_page(request.GET.get("page"))
    counts = {name: inbox_selectors.filter_due(mine, name).filter(status=Task.Status.OPEN).count()
              for name in inbox_selectors.DUE_FILTERS}
    return render(request, "duties/inbox.html", {
        "page": page, "due": due, "counts": counts, "tabs": [
            ("today", _("Today")), ("overdue", _("Overdue")), ("upcoming", _("Upcoming"))],
        "may_see_team": access.has_perm(request.user, "duties.team") or request.user.is_superuser})


@access.staff_required("duties.team")
def team(request):
    """The subordinates' tasks (reporting lines); the dashboard's overdue chart and the routine KPI drill here."""
    tasks = inbox_selectors.tasks_of_team(request.user) | inbox_selectors.tasks_for_me(request.user)
    due = request.GET.get("due") or ""
    tasks = inbox_selectors.filter_due(tasks, due if due in inbox_selectors.DUE_FILTERS else None)
    filters = {}
    for name in ("post", "project", "user"):
        if (value := int_param(request.GET, name)) is not None:
            filters[name] = value
            tasks = tasks.filter(**{("assignee_id" if name == "user" else f"{name}_id"): value})
    if request.GET.get("source"):
        tasks = tasks.filter(source=request.GET["source"])
    if request.GET.get("period"):
        period = _period(request)
        tasks = tasks.filter(due_at__gte=period.start_at, due_at__lt=period.end_at)
    post = Post.objects.filter(pk=filters.get("post")).first() if "post" in filters else None
    page = Paginator(inbox_selectors.with_overdue(tasks).order_by("due_at", "id"), 50).get_page(request.GET.get("page"))
    return render(request, "duties/team.html", {"page": page, "due": due, "post": post,
                                                "query": request.GET.urlencode()})


def _task_for(request, pk):
    return get_object_or_404(inbox_selectors.with_overdue(inbox_selectors.tasks_visible_to(request.user)), pk=pk)


@access.staff_required()
def task_detail(request, pk):
    task = _task_for(request, pk)
    mine = request.user.is_superuser or inbox_selectors.tasks_for_me(request.user).filter(pk=task.pk).exists()
    return render(request, "duties/task_detail.html", {"task": task, "mine": mine,
                                                       "history": task.history.select_related("history_user")[:20]})


@access.staff_required()
def task_complete(request, pk):
    if request.method != "POST":
        return redirect("duties:task-detail", pk=pk)
    task = _task_for(request, pk)
    if not (request.user.is_superuser or inbox_selectors.tasks_for_me(request.user).filter(pk=task.pk).exists()):
        raise PermissionDenied
    evidence = request.FILES.get("evidence")
    if evidence is not None:
        from django.forms import ImageField, ValidationError

        try:
            ImageField().clean(evidence)
        except ValidationError:
            messages.error(request, _("The photo evidence must be an image."))
            return redirect("duties:task-detail", pk=pk)
    try:
        inbox_services.task_complete(task=task, user=request.user, note=request.POST.get("note", ""), evidence=evidence)
        messages.success(request, _("Task completed."))
    except StateConflict as exc:
        messages.error(request, exc.detail)
    return redirect_back(request, reverse("duties:inbox"))


# ---- dashboard and scorecards ------------------------------------------------------------------

@access.staff_required("reports.view")
def dashboard(request):
    project, projects = project_choice(request, "reports.view")
    period = _period(request)
    return render(request, "duties/dashboard.html", {"data": dashboard_data(request.user, project, period),
                                                     "project": project, "projects": projects, "period": period,
                                                     "kept": ticket_figures.kept_state([project.pk])})


@access.staff_required("reports.view")
def scorecard_page(request):
    project, projects = project_choice(request, "reports.view")
    posts = Post.objects.filter(holdings__project=project, holdings__active=True, kpis__isnull=False).distinct()
    chosen = int_param(request.GET, "post")
    selected = posts.filter(pk=chosen) if chosen is not None else None
    period = _period(request) if request.GET.get("period") else scoring.latest_period_with_scores(
        project=project, posts=selected if selected is not None else posts[:1])
    cards = scoring.scorecards(project=project, period=period, posts=selected) if selected is not None else \
        scoring.scorecards(project=project, period=period, posts=posts[:1])
    return render(request, "duties/scorecards.html", {"cards": cards, "project": project, "projects": projects,
                                                      "period": period, "posts": posts,
                                                      "chosen": chosen if chosen is not None else
                                                      (posts[0].pk if posts else None)})


def _scorable_posts(user, project):
    if user.is_superuser:
        return Post.objects.filter(holdings__project=project).distinct()
    return Post.objects.filter(pk__in=access.subordinate_post_ids(user), holdings__project=project).distinct()


def _holders(project, posts):
    """One choice per person and post: a floor butler holds their post on several building/floor ranges, and one
    option per range made 3,240 options (and 0.2 s) at 600,000 units."""
    first = (PostHolding.objects.filter(project=project, post__in=posts, active=True)
             .values("post_id", "user_id").annotate(first=Min("pk")).values("first"))
    return (PostHolding.objects.filter(pk__in=first).select_related("user", "post")
            .order_by("post__position", "user__username"))


@access.staff_required("duties.score")
def kpi_values(request):
    """Manual KPIs (e.g. training pass rate): a supervisor enters a value per person or post and month."""
    project, projects = project_choice(request, "duties.score")
    posts = _scorable_posts(request.user, project)
    errors, form = {}, {}
    if request.method == "POST":
        form = request.POST
        kpi = KPI.objects.filter(pk=form.get("kpi") or 0, post__in=posts).select_related("post").first()
        user = get_user_model().objects.filter(pk=form.get("user") or 0).first() if form.get("user") else None
        try:
            if kpi is None:
                raise BusinessRuleError({"kpi": [_("Choose a manual KPI of a post you supervise.")]})
            services.kpi_value_set(kpi=kpi, project=project, user=user, period=form.get("period"),
                                   value=form.get("value"), note=form.get("note", ""), actor=request.user)
            messages.success(request, _("Value saved."))
            query = urlencode({"project": project.pk, "period": form.get("period")})
            return redirect(f"{reverse('duties:kpi-values')}?{query}")
        except BusinessRuleError as exc:
            errors = _errors(exc)
        except Denied:
            raise PermissionDenied
    period = _period(request)
    values = KPIValue.objects.filter(project=project, kpi__post__in=posts).select_related("kpi__post", "user", "entered_by")
    if request.GET.get("period"):
        values = values.filter(period=period.start)
    if (kpi_id := int_param(request.GET, "kpi")) is not None:
        values = values.filter(kpi_id=kpi_id)
    return render(request, "duties/kpi_values.html", {
        "project": project, "projects": projects, "period": period, "errors": errors, "form": form,
        "kpis": KPI.objects.filter(post__in=posts, source="manual").select_related("post"),
        "holders": _holders(project, posts), "values": values[:200]})


@access.staff_required("duties.score")
def deductions(request):
    """扣分: a supervisor records a deduction with its reason against a rule (seeds/004_418914185ea837fa.txt)."""
    project, projects = project_choice(request, "duties.score")
    posts = _scorable_posts(request.user, project)
    errors, form = {}, {}
    if request.method == "POST":
        form = request.POST
        holding = PostHolding.objects.filter(pk=form.get("holding") or 0, project=project, post__in=posts).first()
        try:
            if holding is None:
                raise BusinessRuleError({"holding": [_("Choose a person on a post you supervise.")]})
            services.deduction_record(project=project, user=holding.user, post=holding.post, rule=form.get("rule", ""),
                                      points=form.get("points"), reason=form.get("reason", ""),
                                      occurred_on=parse_date(form.get("occurred_on") or "") or clock.today(),
                                      actor=request.user)
            messages.success(request, _("Deduction recorded."))
            return redirect(f"{reverse('duties:deductions')}?project={project.pk}")
        except BusinessRuleError as exc:
            errors = _errors(exc)
        except Denied:
            raise PermissionDenied
    items = Deduction.objects.filter(project=project, post__in=posts).select_related("user", "post", "recorded_by")
    if request.GET.get("period"):
        period = _period(request)
        items = items.filter(occurred_on__gte=period.start, occurred_on__lt=period.end)
    for name in ("post", "user"):
        if (value := int_param(request.GET, name)) is not None:
            items = items.filter(**{f"{name}_id": value})
    return render(request, "duties/deductions.html", {
        "project": project, "projects": projects, "errors": errors, "form": form, "today": clock.today(),
        "holders": _holders(project, posts), "items": items[:200]})


# ---- opinions ----------------------------------------------------------------------------------

@access.staff_required()
def opinions(request):
    project, projects = project_choice(request)
    errors, form = {}, {}
    if request.method == "POST":
        form = request.POST
        unit = None
        if form.get("unit"):
            unit = _unit_from_label(project, form["unit"])
        try:
            if form.get("unit") and unit is None:
                raise BusinessRuleError({"unit": [_("No such unit in this project (write it as A-1201).")]})
            services.opinion_record(project=project, unit=unit, kind=form.get("kind", "opinion"),
                                    channel=form.get("channel", "visit"), text=form.get("text", ""), actor=request.user)
            messages.success(request, _("Opinion recorded."))
            return redirect(f"{reverse('duties:opinions')}?project={project.pk}")
        except BusinessRuleError as exc:
            errors = _errors(exc)
    items = selectors.opinions_visible_to(request.user).filter(project=project).select_related(
        "unit__building", "butler", "recorded_by")
    if request.GET.get("period"):
        period = _period(request)
        items = items.filter(received_at__gte=period.start_at, received_at__lt=period.end_at)
    if (staff_id := int_param(request.GET, "staff")) is not None:
        items = items.filter(butler_id=staff_id) | items.filter(recorded_by_id=staff_id)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "duties/opinions.html", {
        "project": project, "projects": projects, "page": page, "errors": errors, "form": form,
        "kinds": Opinion.Kind.choices, "channels": Opinion.Channel.choices})


def _unit_from_label(project, label):
    """'A-1201' (building-number) → the unit of the project."""
    building, _sep, number = str(label).strip().partition("-")
    if not number:
        return None
    return Unit.objects.filter(project=project, building__name=building.strip(), number=number.strip()).first()


# ---- surveys -----------------------------------------------------------------------------------

@access.staff_required("duties.surveys")
def surveys(request):
    project, projects = project_choice(request, "duties.surveys")
    errors = {}
    if request.method == "POST":
        try:
            survey = services.survey_create(project=project, title=request.POST.get("title", ""),
                                            intro=request.POST.get("intro", ""), actor=request.user)
            return redirect("duties:survey-detail", pk=survey.pk)
        except BusinessRuleError as exc:
            errors = _errors(exc)
    items = selectors.surveys_visible_to(request.user).filter(project=project)
    if (year := int_param(request.GET, "year")) is not None:
        items = items.filter(opened_at__year=year)
    return render(request, "duties/surveys.html", {"project": project, "projects": projects, "errors": errors,
                                                   "items": items.annotate(answered=Count("responses"))})


def _survey_for(request, pk):
    return get_object_or_404(selectors.surveys_visible_to(request.user), pk=pk)


@access.staff_required("duties.surveys")
def survey_detail(request, pk):
    survey = _survey_for(request, pk)
    errors = {}
    if request.method == "POST":
        try:
            if request.POST.get("action") in services.SURVEY_TRANSITIONS:
                services.survey_transition(survey=survey, action=request.POST["action"], actor=request.user)
            else:
                services.question_add(survey=survey, text=request.POST.get("text", ""),
                                      kind=request.POST.get("kind", "scale"),
                                      choices=request.POST.get("choices", "").splitlines(), actor=request.user)
            return redirect("duties:survey-detail", pk=survey.pk)
        except BusinessRuleError as exc:
            errors = _errors(exc)
        except StateConflict as exc:
            messages.error(request, exc.detail)
    return render(request, "duties/survey_detail.html", {"survey": survey, "questions": survey.questions.all(),
                                                         "errors": errors, "kinds": Question.Kind.choices})


@access.staff_required("duties.surveys")
def survey_print(request, pk):
    survey = _survey_for(request, pk)
    return render(request, "duties/survey_print.html", {"survey": survey, "questions": survey.questions.all(),
                                                        "scale": range(1, 6)})


def _answers_from(post_data, questions):
    return {q.pk: post_data.get(f"q{q.pk}", "") for q in questions}


@access.staff_required("duties.surveys")
def survey_paper(request, pk):
    """Staff enter a paper questionnaire for a unit."""
    survey = _survey_for(request, pk)
    questions = list(survey.questions.all())
    errors, form = {}, {}
    if request.method == "POST":
        form = request.POST
        unit = _unit_from_label(survey.project, form.get("unit", ""))
        try:
            if unit is None:
                raise BusinessRuleError({"unit": [_("No such unit in this project (write it as A-1201).")]})
            services.survey_answer(survey=survey, unit=unit, answers=_answers_from(form, questions), actor=request.user,
                                   channel=SurveyResponse.Channel.PAPER)
            messages.success(request, _("Answers recorded for %(unit)s.") % {"unit": unit.label})
            return redirect("duties:survey-paper", pk=survey.pk)
        except BusinessRuleError as exc:
            errors = _errors(exc)
        except StateConflict as exc:
            errors = {"unit": exc.detail}
    return render(request, "duties/survey_answer.html", {"survey": survey, "questions": questions, "errors": errors,
                                                         "form": form, "paper": True, "scale": range(1, 6),
                                                         "base": "base.html"})


@access.staff_required("duties.surveys")
def survey_report(request, pk):
    survey = _survey_for(request, pk)
    choices = {}
    for row in selectors.survey_choice_counts(survey):
        choices.setdefault(row["question_id"], []).append(row)
    questions = selectors.survey_scores_by_question(survey)
    for question in questions:
        question.choice_counts = choices.get(question.pk, [])
    return render(request, "duties/survey_report.html", {
        "survey": survey, "questions": questions, "buildings": selectors.survey_scores_by_building(survey),
        "butlers": selectors.survey_scores_by_butler(survey), "responses": selectors.survey_responses(survey)[:200],
        "tasks": Task.objects.filter(source="survey", source_key__startswith="survey-response:",
                                     project=survey.project, url=reverse("duties:survey-report", args=[survey.pk]))
        .select_related("assignee", "post")})


# ---- monthly reports ---------------------------------------------------------------------------

@access.staff_required()
def monthly_reports(request):
    projects = [p for p in projects_for(request.user) if may_see_monthly_report(request.user, p)]
    if not projects:
        raise PermissionDenied
    items = MonthlyReport.objects.filter(project__in=projects).select_related("project")
    return render(request, "duties/monthly_reports.html", {"items": items[:60], "in_background": runs_in_background()})


def _report_for(request, pk):
    report = get_object_or_404(MonthlyReport.objects.select_related("project"), pk=pk)
    if not may_see_monthly_report(request.user, report.project):
        raise Http404
    return report


@access.staff_required()
def monthly_report(request, pk):
    report = _report_for(request, pk)
    return render(request, "duties/monthly_report.html", {"report": report, "data": report.data,
                                                          "occupancy_rows": occupancy_rows(report.data),
                                                          "titles": section_titles(),
                                                          "in_background": runs_in_background()})


@access.staff_required()
def monthly_report_file(request, pk, kind):
    """GET: the stored file. POST (the buttons when a worker pool runs): a background job, then its page."""
    report = _report_for(request, pk)
    if kind not in ("pdf", "xlsx"):
        raise Http404
    if request.method == "POST":
        job = job_enqueue("duties.monthly_report_file", user=request.user,
                          params={"project": report.project_id, "period": f"{report.period:%Y-%m}", "file": kind})
        return redirect("job", pk=job.pk)
    return FileResponse(report_file(report, kind).open("rb"), as_attachment=kind == "xlsx",
                        filename=f"monthly-report-{report.project.code}-{report.period:%Y-%m}.{kind}")


# ---- resident portal ---------------------------------------------------------------------------

@login_required
def portal_surveys(request):
    items = selectors.surveys_open_for_resident(request.user)
    answered = set(SurveyResponse.objects.filter(unit__residents__user=request.user).values_list("survey_id", "unit_id"))
    homes = Resident.objects.filter(user=request.user).select_related("unit__building")
    rows = [{"survey": s, "units": [{"unit": h.unit, "done": (s.pk, h.unit_id) in answered}
                                    for h in homes if h.unit.project_id == s.project_id]} for s in items]
    return render(request, "duties/portal_surveys.html", {"rows": rows})


@login_required
def portal_survey_answer(request, pk):
    survey = get_object_or_404(selectors.surveys_open_for_resident(request.user), pk=pk)
    homes = Resident.objects.filter(user=request.user, unit__project=survey.project).select_related("unit__building")
    questions = list(survey.questions.all())
    errors, form = {}, {}
    if request.method == "POST":
        form = request.POST
        unit_id = int_param(form, "unit")
        resident = homes.filter(unit_id=unit_id).first() if unit_id is not None else None
        try:
            if resident is None:
                raise BusinessRuleError({"unit": [_("Choose your unit.")]})
            services.survey_answer(survey=survey, unit=resident.unit, resident=resident,
                                   answers=_answers_from(form, questions), actor=request.user)
            messages.success(request, _("Thank you for your answers."))
            return redirect("duties:portal-surveys")
        except BusinessRuleError as exc:
            errors = _errors(exc)
        except StateConflict as exc:
            errors = {"unit": exc.detail}
        except Denied:
            raise PermissionDenied
    return render(request, "duties/survey_answer.html", {"survey": survey, "questions": questions, "errors": errors,
                                                         "form": form, "homes": homes, "scale": range(1, 6),
                                                         "base": "portal/base.html"})
