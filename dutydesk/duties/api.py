"""JSON API of the duty engine (shared/API.md "Duty engine")."""
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from dutydesk.archive.models import Project
from dutydesk.core.errors import BusinessRuleError
from dutydesk.core.paging import ProjectByProject
from dutydesk.core.api_jobs import JobAccepted, accepted
from dutydesk.core.background import wants_async
from dutydesk.core.tasks import job_enqueue
from dutydesk.duties import selectors, services
from dutydesk.duties.dashboard import dashboard_data
from dutydesk.duties.filters import OpinionFilter, TaskFilter
from dutydesk.duties.models import MonthlyReport, Opinion
from dutydesk.core.periods import Period
from dutydesk.duties.reports import monthly_report_data
from dutydesk.duties.scorecards import scorecards
from dutydesk.duties.serializers import (OpinionSerializer, TaskCompleteSerializer, TaskSerializer,
                                         scorecard_data)
from dutydesk.inbox import selectors as inbox_selectors
from dutydesk.inbox import services as inbox_services
from dutydesk.inbox.models import Task
from dutydesk.org import access
from dutydesk.org.models import Post
from dutydesk.web.params import int_param, project_param, projects_for


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """Inbox tasks: ``?assignee=me`` (only mine to do, incl. my posts' shared tasks) or, without it,
    everything I may see (a supervisor: also the subordinate posts' tasks); ``?due=today|overdue|upcoming``."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    queryset = Task.objects.none()  # for the schema; get_queryset scopes by user

    def get_queryset(self):
        user = self.request.user
        if self.action == "list" and self.request.query_params.get("assignee") == "me":
            queryset = inbox_selectors.tasks_for_me(user)
        else:
            queryset = inbox_selectors.tasks_visible_to(user)
        return inbox_selectors.with_overdue(queryset).order_by("due_at", "id")

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """The list filters filter the list; a task's own URL finds it whatever the query string says."""
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not access.is_staff_member(request.user):
            raise PermissionDenied()

    @extend_schema(parameters=[OpenApiParameter("assignee", str, description="me or a user id"),
                               OpenApiParameter("due", str, enum=list(inbox_selectors.DUE_FILTERS)),
                               OpenApiParameter("post", int), OpenApiParameter("project", int),
                               OpenApiParameter("source", str), OpenApiParameter("status", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=TaskCompleteSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Complete a task with a note and optional photo evidence (multipart ``evidence``).
        Someone else's task → 404; a supervisor may see but not complete a subordinate's task → 403;
        completing twice → 409."""
        task = self.get_object()
        if not inbox_selectors.tasks_for_me(request.user).filter(pk=task.pk).exists() and not request.user.is_superuser:
            raise PermissionDenied(_("Only the person (or post) the task is for may complete it."))
        data = TaskCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = inbox_services.task_complete(task=task, user=request.user, note=data.validated_data.get("note", ""),
                                      evidence=data.validated_data.get("evidence"))
        task = inbox_selectors.with_overdue(inbox_selectors.tasks_visible_to(request.user)).get(pk=task.pk)
        return Response(TaskSerializer(task, context={"request": request}).data)


class OpinionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Resident opinions and suggestions (意见/建议) from any channel, tagged to unit and butler."""

    serializer_class = OpinionSerializer
    filterset_class = OpinionFilter
    queryset = Opinion.objects.none()  # for the schema; get_queryset scopes by user

    def get_queryset(self):
        return selectors.opinions_visible_to(self.request.user).select_related("unit")

    def paginate_queryset(self, queryset):
        """A group's opinions, unfiltered, are read project by project off each project's (project, received)
        index and merged (``core.paging.ProjectByProject``): 40 projects' 60,000 opinions sorted for one page took
        125 ms."""
        if isinstance(queryset, QuerySet) and not any(self.request.query_params.get(key)
                                                       for key in OpinionFilter.base_filters):
            queryset = ProjectByProject(queryset, projects_for(self.request.user).values_list("pk", flat=True))
        return super().paginate_queryset(queryset)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not access.is_staff_member(request.user):
            raise PermissionDenied()

    def create(self, request, *args, **kwargs):
        data = OpinionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if not projects_for(request.user).filter(pk=values["project"].pk).exists():
            raise PermissionDenied()  # staff of the project only (and the service keeps the rule for every caller)
        opinion = services.opinion_record(
            project=values["project"], unit=values.get("unit"), resident=values.get("resident"),
            kind=values.get("kind", Opinion.Kind.OPINION), channel=values.get("channel", Opinion.Channel.VISIT),
            text=values["text"], received_at=values.get("received_at"), actor=request.user)
        return Response(OpinionSerializer(opinion).data, status=status.HTTP_201_CREATED)


def report_project(request, code="reports.view") -> Project:
    """The ``?project=`` the user may report on (default: their first such project); 403 without the permission."""
    return project_param(request.query_params, request.user, code, invalid=_("Give a project id."))


@extend_schema(parameters=[OpenApiParameter("period", str, description="YYYY-MM"),
                           OpenApiParameter("post", str, description="post id or code"),
                           OpenApiParameter("project", int)], responses={200: OpenApiTypes.OBJECT}, tags=["reports"])
@api_view(["GET"])
def scorecards_report(request):
    """Scorecards per post and per person for a month: each KPI {code, target, actual, weight, score},
    a weighted total, ``measured_weight`` (the share of the weights that had data) and ``status``: below half
    measured the total is null and the status ``insufficient_data``; person cards carry their ``rank`` in the post
    (null when not ranked). Scoring rule: dutydesk/duties/scorecards.py."""
    project = report_project(request)
    period = Period.parse(request.query_params.get("period") or Period.current().label)
    posts = None
    raw = request.query_params.get("post")
    if raw:
        posts = Post.objects.filter(pk=int(raw)) if raw.isdigit() else Post.objects.filter(code=raw)
        if not posts.exists():
            raise BusinessRuleError({"post": [_("Unknown post.")]})
    cards = scorecards(project=project, period=period, posts=posts)
    return Response({"project": project.pk, "period": period.label, "results": [scorecard_data(c) for c in cards]})


@extend_schema(parameters=[OpenApiParameter("period", str), OpenApiParameter("project", int)],
               responses={200: OpenApiTypes.OBJECT}, tags=["reports"])
@api_view(["GET"])
def dashboard_report(request):
    """The dashboard's chart data (labels, values and the list URL behind every bar)."""
    project = report_project(request)
    period = Period.parse(request.query_params.get("period") or Period.current().label)
    return Response(dashboard_data(request.user, project, period))


def may_see_monthly_report(user, project):
    if access.has_perm(user, "reports.view", project):
        return True
    return any(h.post.code == "archivist" and h.project_id == project.pk for h in access.holdings(user))


@extend_schema(parameters=[OpenApiParameter("period", str), OpenApiParameter("project", int),
                           OpenApiParameter("file", str, enum=["pdf", "xlsx"],
                                            description="with Prefer: respond-async, the file the job makes")],
               responses={200: OpenApiTypes.OBJECT, 202: JobAccepted}, tags=["reports"])
@api_view(["GET"])
def monthly_report(request):
    """The department's monthly report figures (the stored report's data when it was generated,
    else computed now): the same figures the PDF and Excel show. With ``Prefer: respond-async`` → 202
    ``{"job": id}``: a job makes the report's PDF (``?file=xlsx``: Excel), then at the job's ``result.download``."""
    if (project_id := int_param(request.query_params, "project")) is not None:
        project = get_object_or_404(Project, pk=project_id)
    else:
        project = report_project(request)
    if not may_see_monthly_report(request.user, project):
        raise PermissionDenied()
    period = Period.parse(request.query_params.get("period") or Period.current().previous().label)
    if wants_async(request):
        file = request.query_params.get("file") or "pdf"
        if file not in ("pdf", "xlsx"):
            raise BusinessRuleError({"file": [_("Choose pdf or xlsx.")]})
        return accepted(job_enqueue("duties.monthly_report_file", user=request.user,
                                    params={"project": project.pk, "period": period.label, "file": file}))
    stored = MonthlyReport.objects.filter(project=project, period=period.start).first()
    data = stored.data if stored else monthly_report_data(project, period)
    links = {"pdf": None, "xlsx": None}
    if stored:
        links = {kind: reverse("duties:monthly-report-file", args=[stored.pk, kind]) for kind in links}
    return Response({**data, "generated": stored is not None, **links})
