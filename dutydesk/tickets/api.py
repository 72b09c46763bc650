"""Work orders API (shared/API.md "Work orders"): thin views over services and selectors."""
from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.response import Response

from dutydesk.archive.models import Unit
from dutydesk.core.periods import Period
from dutydesk.org import access
from dutydesk.tickets import actions as ticket_actions
from dutydesk.tickets import figures, selectors, services
from dutydesk.tickets.actions import ACTIONS
from dutydesk.tickets.filters import GIVE_A_NUMBER, TicketFilter
from dutydesk.tickets.models import Ticket, TicketCategory
from dutydesk.tickets.serializers import CategorySerializer, EventSerializer, TicketCreateSerializer, TicketSerializer
from dutydesk.web.params import int_param

LIST_PARAMETERS = [
    OpenApiParameter("status", str, description="one status or several separated by commas"),
    OpenApiParameter("kind", str), OpenApiParameter("assignee", str, description="user id or `me`"),
    OpenApiParameter("owner", str, description="user id or `me`"), OpenApiParameter("overdue", bool),
    OpenApiParameter("unit", int), OpenApiParameter("project", int), OpenApiParameter("post", int),
    OpenApiParameter("category", int), OpenApiParameter("q", str, description="number or words of the title"),
    OpenApiParameter("queue", str, enum=list(selectors.QUEUES)),
]


@extend_schema_view(list=extend_schema(parameters=LIST_PARAMETERS))
class TicketViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """Work orders (工单): complaints, repairs, enquiries, suggestions, praise."""

    serializer_class = TicketSerializer
    filterset_class = TicketFilter
    queryset = Ticket.objects.none()  # for the schema; get_queryset scopes by user

    def get_queryset(self):
        user = self.request.user
        queue = self.request.query_params.get("queue")
        if self.action == "list" and queue in selectors.QUEUES:
            return selectors.queue(user, queue, status=self.request.query_params.get("status", ""))
        if self.action == "list":
            return selectors.tickets_visible_to(user)
        return selectors.ticket_visible_to(user)

    def paginate_queryset(self, queryset: QuerySet | Sequence) -> list | None:
        """A group's manager's list is read project by project where that pays (``selectors.in_pages``)."""
        params = self.request.query_params
        filters = [key for key in TicketFilter.base_filters if params.get(key)]
        rows: Any = queryset  # a paginator's object list: sliced and counted
        if isinstance(queryset, QuerySet):
            rows = selectors.in_pages(self.request.user, queryset, queue=params.get("queue") or "all", filters=filters)
        return super().paginate_queryset(rows)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """The list filters filter the list; a ticket's own URL finds it whatever the query string says."""
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def _reply(self, ticket, status=200):
        ticket = selectors.ticket_visible_to(self.request.user).filter(pk=ticket.pk).first() or ticket
        return Response(TicketSerializer(ticket, context={"request": self.request}).data, status=status)

    @extend_schema(request=TicketCreateSerializer, responses={201: TicketSerializer})
    def create(self, request, *args, **kwargs):
        user = request.user
        staff = access.is_staff_member(user)
        if staff:
            access.require(user, "tickets.create")
            units = Unit.objects.filter(access.unit_scope(user, "tickets.create"))
        else:
            units = Unit.objects.filter(access.resident_units(user))
        data = TicketCreateSerializer(data=request.data, units=units)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        files = list(values.pop("files", [])) + request.FILES.getlist("photos")
        ticket = services.ticket_create(actor=user, files=files, **values)
        return self._reply(ticket, status=201)

    def _act(self, name: str) -> Response:
        """Run the action ``name`` of the actions table (tickets/actions.py; the ticket page runs the same table)."""
        user = self.request.user
        if not user.is_authenticated:  # never so (IsAuthenticated ran first); tells the type checker it is a User
            raise NotAuthenticated()
        files = [*self.request.FILES.getlist("files"), *self.request.FILES.getlist("photos"),
                 *self.request.FILES.getlist("file")]
        result = ticket_actions.run(name, ticket=self.get_object(), actor=user, data=self.request.data,
                                    files=files)
        return self._reply(getattr(result, "ticket", result))

    @extend_schema(request=ACTIONS["dispatch"].input, responses=TicketSerializer)
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_to(self, request, pk=None):
        """派单: `{"assignee": user_id}` or `{"post": post_id}`; the owner never changes."""
        return self._act("dispatch")

    @extend_schema(request=None, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        """Take a ticket from the queue of a post you hold."""
        return self._act("take")

    @extend_schema(request=None, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        """认领: become the first-ask owner of a ticket filed in the portal (409 when someone already did)."""
        return self._act("claim")

    @extend_schema(request=ACTIONS["start"].input, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._act("start")

    @extend_schema(request=ACTIONS["resolve"].input, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Resolve; repairs may record materials, labour minutes and a paid-service charge."""
        return self._act("resolve")

    @extend_schema(request=ACTIONS["hold"].input, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        """Waiting for the resident: pauses the SLA clock."""
        return self._act("hold")

    @extend_schema(request=ACTIONS["resume"].input, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._act("resume")

    @extend_schema(request=ACTIONS["cancel"].input, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act("cancel")

    @extend_schema(request=ACTIONS["reopen"].input, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._act("reopen")

    @extend_schema(request=ACTIONS["close"].input, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close a resolved enquiry, suggestion or praise (complaints and repairs: by return visit)."""
        return self._act("close")

    @extend_schema(request=ACTIONS["return_visit"].input, responses=TicketSerializer)
    @action(detail=True, methods=["post"], url_path="return-visit")
    def return_visit(self, request, pk=None):
        """回访: satisfaction ≤ 2 reopens the ticket, otherwise it closes."""
        return self._act("return_visit")

    @extend_schema(request=ACTIONS["escalate"].input, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        """升级 to the superior post of the assignee's post."""
        return self._act("escalate")

    @extend_schema(request=ACTIONS["comment"].input, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        """A note on the timeline; `to_resident: true` = a reply to the resident."""
        return self._act("comment")

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def attachments(self, request, pk=None):
        return self._act("attach")

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None)
    def history(self, request, pk=None):
        """The timeline: `{at, actor, action, from_status, to_status, note}`."""
        ticket = self.get_object()
        return Response(EventSerializer(selectors.timeline_for(request.user, ticket), many=True).data)


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Work-order categories offered in my projects (global ones and the project's own)."""

    serializer_class = CategorySerializer
    pagination_class = None
    queryset = TicketCategory.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TicketCategory.objects.none()
        projects = {h.project_id for h in access.holdings(self.request.user)}
        if not projects:
            projects = set(Unit.objects.filter(access.resident_units(self.request.user)).values_list("project_id", flat=True))
        return TicketCategory.objects.filter(Q(project__isnull=True) | Q(project__in=projects), active=True)


@extend_schema(parameters=[OpenApiParameter("period", str, description="YYYY-MM", required=True),
                           OpenApiParameter("project", int)], tags=["reports"], responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
def return_visit_report(request):
    """Return-visit rate (visited ÷ resolved) and average satisfaction of the complaints and repairs
    resolved in a month: total, by kind, category, assignee, and by month of the year so far."""
    user = request.user
    if not (access.has_perm(user, "tickets.return_visit") or access.has_perm(user, "reports.view")):
        raise PermissionDenied()
    period = Period.parse(request.query_params.get("period"), message=_("Give the month as YYYY-MM.")).start
    project = int_param(request.query_params, "project", error=GIVE_A_NUMBER)
    return Response(figures.return_visit_stats(user, period, project=project))
