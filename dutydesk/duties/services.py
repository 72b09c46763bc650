"""Writes of the duty engine: routine generation (into the task inbox, dutydesk.inbox), opinions, surveys,
manual KPI values, deductions (扣分) and the monthly report. Keyword-only functions, one verb each."""
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from dutydesk.archive.models import Project, Resident, Unit
from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.money import to_cents
from dutydesk.core.permissions import Denied
from dutydesk.duties import routines as routine_rules
from dutydesk.duties.models import Answer, Deduction, KPIValue, Opinion, Question, Survey, SurveyResponse
from dutydesk.inbox.models import Task
from dutydesk.inbox.services import task_create_once, tasks_create_once
from dutydesk.org import access
from dutydesk.org.models import KPI, Post, PostHolding, Routine
from dutydesk.org.selectors import butler_holdings

RETURN_VISIT_FALLBACK_POST = "cs-supervisor"  # seeds/000_d44081c6db2527f0.txt:382 篇18 5.2: the supervisor visits dissatisfied residents
DISSATISFIED = 2  # a score of 1 or 2 out of 5 is dissatisfied


# ---- routines -> tasks -------------------------------------------------------------------------

def routine_source_key(routine: Routine, key_date: date, user_id: int | None, project_id: int) -> str:
    return f"routine:{routine.id}:{key_date:%Y-%m-%d}:{user_id or 'post'}:{project_id}"


def routine_tasks_generate(*, day: date, project: Project | int | None = None) -> int:
    """Create the tasks every routine releases on ``day`` (see duties/routines.py) for the active
    holders of its post (in ``project``, or all): one per holder (assign=each) or one shared by the post per project
    (assign=shared). Idempotent: the source_key names routine, occurrence, holder and project.
    Returns the number of tasks created."""
    holdings = PostHolding.objects.filter(active=True, post__routines__isnull=False)
    if project is not None:
        holdings = holdings.filter(project=project)
    rows = (holdings.filter(Q(since__isnull=True) | Q(since__lte=day)).distinct()
            .values_list("post_id", "user_id", "project_id"))
    holders: dict[int, set[tuple[int, int]]] = {}
    for post_id, holder_id, project_id in rows:
        holders.setdefault(post_id, set()).add((holder_id, project_id))
    wanted = []
    for routine in Routine.objects.filter(post_id__in=holders):
        for key_date, due_date in routine_rules.occurrences_released_on(routine, day):
            targets: list[tuple[int | None, int]]  # (user id, project id); no user: shared by the post
            if routine.assign == Routine.Assign.SHARED:
                targets = sorted({(None, project_id) for _user, project_id in holders[routine.post_id]})
            else:
                targets = sorted(holders[routine.post_id])
            for user_id, project_id in targets:
                wanted.append((routine_source_key(routine, key_date, user_id, project_id), routine, due_date,
                               user_id, project_id))
    # set-based, 2,000 at a time (a group's day: every routine of thousands of holders); existing keys are skipped
    return tasks_create_once([Task(source="routine", source_key=key, title=routine.text,
                                   due_at=clock.at(due_date, routine.at), assignee_id=user_id, post_id=routine.post_id,
                                   project_id=project_id, routine=routine)
                              for key, routine, due_date, user_id, project_id in wanted])


# ---- permissions of the scoring writes ---------------------------------------------------------

def _ensure_may_score(actor: User, project: Project, post: Post) -> None:
    """Manual KPI values and deductions: a post with duties.score in the project, for a post below
    the actor's own posts in the reporting lines (a supervisor scores their subordinates)."""
    if getattr(actor, "is_superuser", False):
        return
    if not access.has_perm(actor, "duties.score", project) or post.pk not in access.subordinate_post_ids(actor):
        raise Denied()


def _month(period: date | str | None) -> date:
    """A date for the first day of the month of ``period`` (a date or 'YYYY-MM')."""
    from dutydesk.core.periods import Period

    return Period.parse(period).start


@transaction.atomic
def kpi_value_set(*, kpi: KPI, project: Project, period: date | str | None, value: Decimal | int | str | None,
                  user: User | None = None, note: str = "", actor: User) -> KPIValue:
    """Enter (or correct) a manual KPI value for a person, or for the whole post when ``user`` is None."""
    _ensure_may_score(actor, project, kpi.post)
    errors = {}
    if kpi.source != "manual":
        errors["kpi"] = [_("This KPI is measured automatically; only manual KPIs take entered values.")]
    if user is not None and not PostHolding.objects.filter(user=user, post=kpi.post, project=project).exists():
        errors["user"] = [_("This person does not hold the KPI's post in this project.")]
    value = to_cents(value)
    if value is None:
        errors["value"] = [_("Enter a number.")]
    elif value < 0:
        errors["value"] = [_("The value cannot be negative.")]
    if errors or value is None:
        raise BusinessRuleError(errors)
    month = _month(period)
    entry = (KPIValue.objects.select_for_update()
             .filter(kpi=kpi, project=project, period=month, user=user).first())
    if entry is None:
        entry = KPIValue(kpi=kpi, project=project, period=month, user=user)
    entry.value, entry.note, entry.entered_by = value, note, actor
    entry.save()
    return entry


@transaction.atomic
def deduction_record(*, project: Project, user: User, post: Post, rule: str, points: Decimal | int | str | None,
                     reason: str, occurred_on: date, actor: User) -> Deduction:
    """扣分: deduct points from a staff member against a rule (seeds/004_418914185ea837fa.txt:43: 月平均扣分少于3分)."""
    _ensure_may_score(actor, project, post)
    errors = {}
    if not PostHolding.objects.filter(user=user, post=post, project=project).exists():
        errors["user"] = [_("This person does not hold this post in this project.")]
    if not (rule or "").strip():
        errors["rule"] = [_("Name the rule the deduction is made against.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason for the deduction.")]
    points = to_cents(points)
    if points is None:
        errors["points"] = [_("Enter a number.")]
    elif not Decimal("0") < points <= Decimal("100"):
        errors["points"] = [_("Points must be more than 0 and at most 100.")]
    if occurred_on and occurred_on > clock.today():
        errors["occurred_on"] = [_("The date cannot be in the future.")]
    if errors or points is None:
        raise BusinessRuleError(errors)
    return Deduction.objects.create(project=project, user=user, post=post, rule=rule.strip(), points=points,
                                    reason=reason.strip(), occurred_on=occurred_on, recorded_by=actor)


# ---- opinions and surveys ----------------------------------------------------------------------

def butler_holding_for_unit(unit: Unit) -> PostHolding | None:
    """The holding of the floor butler (a floors-scoped post) whose building and floors cover ``unit``."""
    return butler_holdings(unit=unit).select_related("user").order_by("id").first()


def butler_for_unit(unit: Unit) -> User | None:
    holding = butler_holding_for_unit(unit)
    return holding.user if holding else None


@transaction.atomic
def opinion_record(*, project: Project, text: str, actor: User, unit: Unit | None = None,
                   resident: Resident | None = None, kind: str = Opinion.Kind.OPINION,
                   channel: str = Opinion.Channel.VISIT, received_at: datetime | None = None,
                   butler: User | None = None) -> Opinion:
    """Record a resident's opinion or suggestion (意见/建议) from any channel, tagged to the unit and
    its floor butler (seeds/004_418914185ea837fa.txt: each butler collects ≥ 7 a week)."""
    if not access.is_staff_member(actor) or (not actor.is_superuser and project.pk not in access.project_ids(actor)):
        raise Denied()
    errors = {}
    if not (text or "").strip():
        errors["text"] = [_("Write down the opinion.")]
    if unit is not None and unit.project_id != project.pk:
        errors["unit"] = [_("The unit is not in this project.")]
    if resident is not None and unit is not None and resident.unit_id != unit.pk:
        errors["resident"] = [_("The resident does not live in this unit.")]
    if kind not in Opinion.Kind.values:
        errors["kind"] = [_("Unknown kind.")]
    if channel not in Opinion.Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    received_at = received_at or clock.now()
    if received_at > clock.now() + timedelta(minutes=5):
        errors["received_at"] = [_("The time cannot be in the future.")]
    if errors:
        raise BusinessRuleError(errors)
    if butler is None and unit is not None:
        butler = butler_for_unit(unit)
    return Opinion.objects.create(project=project, unit=unit, resident=resident, butler=butler, kind=kind,
                                  channel=channel, text=text.strip(), received_at=received_at, recorded_by=actor)


def _ensure_may_survey(actor: User, project: Project) -> None:
    if not access.has_perm(actor, "duties.surveys", project):
        raise Denied()


@transaction.atomic
def survey_create(*, project: Project, title: str, actor: User, intro: str = "") -> Survey:
    _ensure_may_survey(actor, project)
    if not (title or "").strip():
        raise BusinessRuleError({"title": [_("Give the survey a title.")]})
    return Survey.objects.create(project=project, title=title.strip(), intro=intro, created_by=actor)


@transaction.atomic
def question_add(*, survey: Survey, text: str, kind: str = Question.Kind.SCALE, choices: Iterable[object] | None = None,
                 actor: User) -> Question:
    _ensure_may_survey(actor, survey.project)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.DRAFT:
        raise StateConflict(_("Questions can only be added while the survey is a draft."))
    errors = {}
    if not (text or "").strip():
        errors["text"] = [_("Write the question.")]
    if kind not in Question.Kind.values:
        errors["kind"] = [_("Unknown kind of question.")]
    choices = [str(c).strip() for c in (choices or []) if str(c).strip()]
    if kind == Question.Kind.CHOICE and len(choices) < 2:
        errors["choices"] = [_("A choice question needs at least two choices.")]
    if errors:
        raise BusinessRuleError(errors)
    position = survey.questions.count() + 1
    return Question.objects.create(survey=survey, text=text.strip(), kind=kind,
                                   choices=choices if kind == Question.Kind.CHOICE else [], position=position)


# survey status transitions as data: action -> (allowed from, to)
SURVEY_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "open": ({Survey.Status.DRAFT}, Survey.Status.OPEN),
    "close": ({Survey.Status.OPEN}, Survey.Status.CLOSED),
}


@transaction.atomic
def survey_transition(*, survey: Survey, action: str, actor: User) -> Survey:
    """Open a draft survey to the residents (portal + printable form) or close an open one."""
    _ensure_may_survey(actor, survey.project)
    allowed, target = SURVEY_TRANSITIONS[action]
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status not in allowed:
        raise StateConflict(_("The survey is %(status)s.") % {"status": survey.get_status_display()})
    if action == "open" and not survey.questions.exists():
        raise BusinessRuleError({"questions": [_("Add at least one question before sending the survey.")]})
    survey.status = target
    if action == "open":
        survey.opened_at = clock.now()
    else:
        survey.closed_at = clock.now()
    survey.save()
    return survey


@transaction.atomic
def survey_answer(*, survey: Survey, unit: Unit, answers: Mapping[Any, object] | None, actor: User,
                  resident: Resident | None = None, channel: str = SurveyResponse.Channel.PORTAL) -> SurveyResponse:
    """Record one unit's answers (``answers``: {question_id: value}); a resident answers in the portal,
    staff enter paper forms. A score ≤ 2 (dissatisfied) creates a return-visit task for the unit's floor
    butler, else for the customer-service supervisor post (seeds/000_d44081c6db2527f0.txt:382 篇18: 对意见业户进行回访)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if channel == SurveyResponse.Channel.PAPER:
        _ensure_may_survey(actor, survey.project)
    elif not unit.residents.filter(user=actor).exists():  # a resident answers only for their own unit
        raise Denied()
    if survey.status != Survey.Status.OPEN:
        raise StateConflict(_("This survey is not open for answers."))
    if unit.project_id != survey.project_id:
        raise BusinessRuleError({"unit": [_("The unit is not in this survey's project.")]})
    if SurveyResponse.objects.filter(survey=survey, unit=unit).exists():
        raise StateConflict(_("This unit has already answered this survey."))
    questions = {q.pk: q for q in survey.questions.all()}
    cleaned, errors = [], {}
    for raw_id, raw in (answers or {}).items():
        try:
            question = questions[int(raw_id)]
        except (KeyError, TypeError, ValueError):
            errors[f"q{raw_id}"] = [_("Unknown question.")]
            continue
        value = "" if raw is None else str(raw).strip()
        if value == "":
            continue
        if question.kind == Question.Kind.SCALE:
            if value not in {"1", "2", "3", "4", "5"}:
                errors[f"q{question.pk}"] = [_("Choose a score from 1 to 5.")]
                continue
            cleaned.append(Answer(question=question, score=int(value)))
        elif question.kind == Question.Kind.CHOICE:
            if value not in question.choices:
                errors[f"q{question.pk}"] = [_("Choose one of the given answers.")]
                continue
            cleaned.append(Answer(question=question, choice=value))
        else:
            cleaned.append(Answer(question=question, text=value[:2000]))
    if not errors and not cleaned:
        errors["answers"] = [_("Answer at least one question.")]
    if errors:
        raise BusinessRuleError(errors)
    holding = butler_holding_for_unit(unit)
    butler = holding.user if holding else None
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey, unit=unit, resident=resident, butler=butler, channel=channel,
                entered_by=actor if channel == SurveyResponse.Channel.PAPER else None, submitted_at=clock.now())
    except IntegrityError:
        raise StateConflict(_("This unit has already answered this survey."))
    for answer in cleaned:
        answer.response = response
    Answer.objects.bulk_create(cleaned)
    low = [a for a in cleaned if a.score is not None and a.score <= DISSATISFIED]
    if low:
        _return_visit_task(response, unit, holding, low)
    return response


def _return_visit_task(response: SurveyResponse, unit: Unit, holding: PostHolding | None,
                       low_answers: list[Answer]) -> Task | None:
    from django.urls import reverse

    butler, post = (holding.user, holding.post) if holding else (None, None)
    if holding is None:
        post = Post.objects.filter(code=RETURN_VISIT_FALLBACK_POST).first()
        if post is None:
            return None
    lines = "\n".join(f"{a.question.text}: {a.score}/5" for a in low_answers)
    task, _created = task_create_once(
        source="survey", source_key=f"survey-response:{response.pk}:return-visit",
        title=_("Return visit to %(unit)s: dissatisfied in survey “%(survey)s”") % {
            "unit": unit.label, "survey": response.survey.title},
        description=lines, due_at=clock.now() + timedelta(hours=48),  # seeds/002_59da8478c28f7f86.txt:1118 篇6: reply within 48 h
        assignee=butler, post=post, project=response.survey.project,
        url=reverse("duties:survey-report", args=[response.survey_id]))
    return task
