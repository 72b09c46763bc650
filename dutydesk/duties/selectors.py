"""Reads of the duty engine: opinions, surveys. Querysets, filtered with the access ``Q`` objects of
dutydesk.org.access, so a list costs a constant number of queries. The task inboxes are read in dutydesk.inbox.selectors."""
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Avg, Count, Q, QuerySet

from dutydesk.duties.models import Answer, Opinion, Question, Survey, SurveyResponse
from dutydesk.org import access


# ---- opinions and surveys ----------------------------------------------------------------------

def opinions_visible_to(user: User | AnonymousUser) -> QuerySet[Opinion]:
    if user.is_superuser:
        return Opinion.objects.all()
    return Opinion.objects.filter(project_id__in=access.project_ids(user))


def surveys_visible_to(user: User | AnonymousUser) -> QuerySet[Survey]:
    if user.is_superuser:
        return Survey.objects.all()
    return Survey.objects.filter(project_id__in=access.project_ids(user, "duties.surveys"))


def surveys_open_for_resident(user: User) -> QuerySet[Survey]:
    """Open surveys of the projects where the resident user lives."""
    from dutydesk.archive.models import Resident

    homes = Resident.objects.filter(user=user).values("unit__project_id")
    return Survey.objects.filter(status=Survey.Status.OPEN, project_id__in=homes)


def survey_scores_by_question(survey: Survey) -> list[Question]:
    return list(Question.objects.filter(survey=survey).annotate(
        average=Avg("answers__score"), answered=Count("answers"),
        dissatisfied=Count("answers", filter=Q(answers__score__lte=2))).order_by("position", "id"))


def survey_scores_by_building(survey: Survey) -> list[Mapping[str, Any]]:
    return list(Answer.objects.filter(response__survey=survey, score__isnull=False)
                .values("response__unit__building__name")
                .annotate(average=Avg("score"), answers=Count("id"), units=Count("response", distinct=True))
                .order_by("response__unit__building__name"))


def survey_scores_by_butler(survey: Survey) -> list[Mapping[str, Any]]:
    return list(Answer.objects.filter(response__survey=survey, score__isnull=False)
                .values("response__butler_id", "response__butler__username", "response__butler__first_name",
                        "response__butler__last_name")
                .annotate(average=Avg("score"), answers=Count("id"), units=Count("response", distinct=True))
                .order_by("response__butler__username"))


def survey_choice_counts(survey: Survey) -> list[Mapping[str, Any]]:
    return list(Answer.objects.filter(response__survey=survey, question__kind=Question.Kind.CHOICE)
                .values("question_id", "choice").annotate(count=Count("id")).order_by("question_id", "-count"))


def survey_responses(survey: Survey) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(survey=survey).select_related("unit__building", "butler", "entered_by")
