"""Work orders API (shared/API.md "Work orders"): thin views over services and selectors."""
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from dutydesk.archive.models import Unit
from dutydesk.core import clock
from dutydesk.org import access
from dutydesk.tickets import selectors, services
from dutydesk.tickets.models import RUNNING, TicketCategory
from dutydesk.tickets.serializers import (CategorySerializer, CommentSerializer, DispatchSerializer, EventSerializer,
                                          NoteSerializer, ReasonSerializer, ResolveSerializer, ReturnVisitSerializer,
                                          TicketCreateSerializer, TicketSerializer)

LIST_PARAMETERS = [
    OpenApiParameter("status", str, description="one status or several separated by commas"),
    OpenApiParameter("kind", str), OpenApiParameter("assignee", str, description="user id or `me`"),
    OpenApiParameter("owner", str, description="user id or `me`"), OpenApiParameter("overdue", bool),
    OpenApiParameter("unit", int), OpenApiParameter("project", int), OpenApiParameter("post", int),
    OpenApiParameter("category", int), OpenApiParameter("q", str, description="number or words of the title"),
    OpenApiParameter("queue", str, enum=list(selectors.QUEUES)),
]


def _person_param(request, name):
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if value == "me":
        return request.user.pk
    if not value.isdigit():
        raise ValidationError({name: [_("Give a user id or 'me'.")]})
    return int(value)


def _int_param(request, name):
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if not value.isdigit():
        raise ValidationError({name: [_("Give a number.")]})
    return int(value)


def filter_tickets(queryset, request):
    params = request.query_params
    if params.get("status"):
        queryset = queryset.filter(status__in=params["status"].split(","))
    if params.get("kind"):
        queryset = queryset.filter(kind__in=params["kind"].split(","))
    if (assignee := _person_param(request, "assignee")) is not None:
        queryset = queryset.filter(assignee_id=assignee)
    if (owner := _person_param(request, "owner")) is not None:
        queryset = queryset.filter(owner_id=owner)
    for name in ("unit", "project", "category"):
        if (value := _int_param(request, name)) is not None:
            queryset = queryset.filter(**{f"{name}_id": value})
    if (post := _int_param(request, "post")) is not None:
        queryset = queryset.filter(assigned_post_id=post)
    if params.get("overdue") in ("true", "1", "yes"):
        queryset = selectors.overdue(queryset).order_by("resolution_due", "id")
    elif params.get("overdue") in ("false", "0", "no"):
        queryset = queryset.exclude(status__in=RUNNING, resolution_due__lt=clock.now())
    if q := (params.get("q") or "").strip():
        queryset = queryset.filter(Q(number__icontains=q) | Q(title__icontains=q))
    return queryset


@extend_schema_view(list=extend_schema(parameters=LIST_PARAMETERS))
class TicketViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """Work orders (工单): complaints, repairs, enquiries, suggestions, praise."""

    serializer_class = TicketSerializer

    def get_queryset(self):
        user = self.request.user
        queue = self.request.query_params.get("queue")
        if self.action == "list" and queue in selectors.QUEUES:
            queryset = selectors.queue(user, queue)
        elif self.action == "list":
            queryset = selectors.tickets_visible_to(user)
        else:
            queryset = selectors.ticket_visible_to(user)
        if self.action == "list":
            queryset = filter_tickets(queryset, self.request)
        return queryset

    def _reply(self, ticket, status=200):
        ticket = selectors.ticket_visible_to(self.request.user).filter(pk=ticket.pk).first() or ticket
        return Response(TicketSerializer(ticket, context={"request": self.request}).data, status=status)

    @extend_schema(request=TicketCreateSerializer, responses={201: TicketSerializer})
    def create(self, request, *args, **kwargs):
        user = request.user
        staff = access.is_staff_member(user)
        if staff and not access.has_perm(user, "tickets.create"):
            raise PermissionDenied()
        if staff:
            units = Unit.objects.filter(access.unit_scope(user, "tickets.create"))
        else:
            units = Unit.objects.filter(access.resident_units(user))
        data = TicketCreateSerializer(data=request.data, units=units)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        files = list(values.pop("files", [])) + request.FILES.getlist("photos")
        ticket = services.ticket_create(actor=user, files=files, **values)
        return self._reply(ticket, status=201)

    def _act(self, serializer_class, service, **extra):
        ticket = self.get_object()
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        result = service(ticket=ticket, actor=self.request.user, **data.validated_data, **extra)
        return self._reply(getattr(result, "ticket", result))

    @extend_schema(request=DispatchSerializer, responses=TicketSerializer)
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_to(self, request, pk=None):
        """派单: `{"assignee": user_id}` or `{"post": post_id}`; the owner never changes."""
        return self._act(DispatchSerializer, services.ticket_dispatch)

    @extend_schema(request=None, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        """Take a ticket from the queue of a post you hold."""
        return self._reply(services.ticket_take(ticket=self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        """认领: become the first-ask owner of a ticket filed in the portal (409 when someone already did)."""
        return self._reply(services.ticket_claim(ticket=self.get_object(), actor=request.user))

    @extend_schema(request=NoteSerializer, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._act(NoteSerializer, services.ticket_start)

    @extend_schema(request=ResolveSerializer, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Resolve; repairs may record materials, labour minutes and a paid-service charge."""
        return self._act(ResolveSerializer, services.ticket_resolve)

    @extend_schema(request=ReasonSerializer, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        """Waiting for the resident: pauses the SLA clock."""
        return self._act(ReasonSerializer, services.ticket_hold)

    @extend_schema(request=NoteSerializer, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._act(NoteSerializer, services.ticket_resume)

    @extend_schema(request=ReasonSerializer, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(ReasonSerializer, services.ticket_cancel)

    @extend_schema(request=ReasonSerializer, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._act(ReasonSerializer, services.ticket_reopen)

    @extend_schema(request=NoteSerializer, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close a resolved enquiry, suggestion or praise (complaints and repairs: by return visit)."""
        return self._act(NoteSerializer, services.ticket_close)

    @extend_schema(request=ReturnVisitSerializer, responses=TicketSerializer)
    @action(detail=True, methods=["post"], url_path="return-visit")
    def return_visit(self, request, pk=None):
        """回访: satisfaction ≤ 2 reopens the ticket, otherwise it closes."""
        return self._act(ReturnVisitSerializer, services.ticket_return_visit)

    @extend_schema(request=ReasonSerializer, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        """升级 to the superior post of the assignee's post."""
        return self._act(ReasonSerializer, services.ticket_escalate)

    @extend_schema(request=CommentSerializer, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        """A note on the timeline; `to_resident: true` = a reply to the resident."""
        return self._act(CommentSerializer, services.ticket_comment)

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def attachments(self, request, pk=None):
        files = request.FILES.getlist("files") + request.FILES.getlist("photos") + request.FILES.getlist("file")
        return self._reply(services.ticket_attach(ticket=self.get_object(), actor=request.user, files=files))

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"])
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
    try:
        year, month = (int(part) for part in request.query_params.get("period", "").split("-"))
        period = date(year, month, 1)
    except ValueError:
        raise ValidationError({"period": [_("Give the month as YYYY-MM.")]}) from None
    project = _int_param(request, "project")
    return Response(selectors.return_visit_stats(user, period, project=project))
