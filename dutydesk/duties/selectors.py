"""Reads of the duty engine: inboxes, team views, opinions, surveys. Querysets, filtered with the
access ``Q`` objects of dutydesk.org.access, so a list costs a constant number of queries."""
from datetime import timedelta

from django.db.models import Avg, BooleanField, Case, Count, Q, Value, When

from dutydesk.core import clock
from dutydesk.duties.models import Answer, Opinion, Question, Survey, SurveyResponse, Task
from dutydesk.org import access

DUE_FILTERS = ("today", "overdue", "upcoming")


def _mine(user):
    mine = Q(assignee=user)
    for holding in access.holdings(user):
        mine |= Q(assignee__isnull=True, post_id=holding.post_id, project_id=holding.project_id)
    return mine


def _team(user):
    """Tasks of the posts below the user's posts (reporting lines), in the projects where the user
    holds a post granting duties.team."""
    projects = access.project_ids(user, "duties.team")
    if not projects:
        return None
    subordinate = access.subordinate_post_ids(user)
    if not subordinate:
        return None
    return Q(post_id__in=subordinate, project_id__in=projects)


def tasks_visible_to(user):
    """My tasks and the shared tasks of my posts in my projects; a supervisor (duties.team)
    also sees the tasks of subordinate posts."""
    if user.is_superuser:
        return Task.objects.all()
    visible = _mine(user)
    team = _team(user)
    if team is not None:
        visible |= team
    return Task.objects.filter(visible)


def tasks_for_me(user):
    """Only what is mine to do: assigned to me or shared by my posts."""
    return Task.objects.filter(_mine(user))


def tasks_of_team(user):
    """Only the subordinates' tasks (the supervisor's team view)."""
    if user.is_superuser:
        return Task.objects.all()
    team = _team(user)
    return Task.objects.filter(team) if team is not None else Task.objects.none()


def with_overdue(queryset):
    """Annotate ``overdue`` (open and past due at this moment) and load what a list row shows."""
    return queryset.select_related("post", "routine", "assignee", "project").annotate(
        overdue=Case(When(status=Task.Status.OPEN, due_at__lt=clock.now(), then=Value(True)), default=Value(False),
                     output_field=BooleanField()))


def filter_due(queryset, due):
    now = clock.local_now()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if due == "today":
        return queryset.filter(due_at__gte=start, due_at__lt=start + timedelta(days=1))
    if due == "overdue":
        return queryset.filter(status=Task.Status.OPEN, due_at__lt=now)
    if due == "upcoming":
        return queryset.filter(status=Task.Status.OPEN, due_at__gte=start + timedelta(days=1))
    return queryset


def overdue_tasks_by_post(user, project_ids=None):
    """[(post_id, post name, count)] of open past-due tasks the user may see."""
    queryset = filter_due(tasks_visible_to(user), "overdue").filter(post__isnull=False)
    if project_ids is not None:
        queryset = queryset.filter(project_id__in=project_ids)
    return list(queryset.values("post_id", "post__name", "post__name_en").annotate(count=Count("id"))
                .order_by("-count", "post_id"))


# ---- opinions and surveys ----------------------------------------------------------------------

def opinions_visible_to(user):
    if user.is_superuser:
        return Opinion.objects.all()
    return Opinion.objects.filter(project_id__in=access.project_ids(user))


def surveys_visible_to(user):
    if user.is_superuser:
        return Survey.objects.all()
    return Survey.objects.filter(project_id__in=access.project_ids(user, "duties.surveys"))


def surveys_open_for_resident(user):
    """Open surveys of the projects where the resident user lives."""
    from dutydesk.archive.models import Resident

    homes = Resident.objects.filter(user=user).values("unit__project_id")
    return Survey.objects.filter(status=Survey.Status.OPEN, project_id__in=homes)


def survey_scores_by_question(survey):
    return list(Question.objects.filter(survey=survey).annotate(
        average=Avg("answers__score"), answered=Count("answers"),
        dissatisfied=Count("answers", filter=Q(answers__score__lte=2))).order_by("position", "id"))


def survey_scores_by_building(survey):
    return list(Answer.objects.filter(response__survey=survey, score__isnull=False)
                .values("response__unit__building__name")
                .annotate(average=Avg("score"), answers=Count("id"), units=Count("response", distinct=True))
                .order_by("response__unit__building__name"))


def survey_scores_by_butler(survey):
    return list(Answer.objects.filter(response__survey=survey, score__isnull=False)
                .values("response__butler_id", "response__butler__username", "response__butler__first_name",
                        "response__butler__last_name")
                .annotate(average=Avg("score"), answers=Count("id"), units=Count("response", distinct=True))
                .order_by("response__butler__username"))


def survey_choice_counts(survey):
    return list(Answer.objects.filter(response__survey=survey, question__kind=Question.Kind.CHOICE)
                .values("question_id", "choice").annotate(count=Count("id")).order_by("question_id", "-count"))


def survey_responses(survey):
    return SurveyResponse.objects.filter(survey=survey).select_related("unit__building", "butler", "entered_by")
