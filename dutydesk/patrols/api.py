"""JSON API of patrols (shared/API.md "Property operations"): routes ``/api/v1/patrols/routes/`` (create, list,
detail, change), rounds ``/api/v1/patrols/rounds/?route=`` and a checkpoint record
``POST /api/v1/patrols/rounds/{id}/checkpoints/{code}``. Thin: the edge checks the permission code and scopes the
objects (outside the scope: 404), validates with the input serializer, calls the service (which checks the permission
in the object's own project, the state and the rules) and answers with the output serializer."""
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dutydesk.org import access
from dutydesk.patrols import selectors, services
from dutydesk.patrols import serializers as s
from dutydesk.patrols.filters import RoundFilter, RouteFilter
from dutydesk.patrols.models import CODE_PATTERN, Round, Route
from dutydesk.web.params import project_param

CHECKPOINT = r"checkpoints/(?P<code>" + CODE_PATTERN.strip("^$") + ")"


def actor(request: Request) -> Any:
    """The signed-in user acting (the web edge types users as ``Any``; the services take a ``User``)."""
    return request.user


def valid(serializer_class: type[serializers.Serializer], request: Request, data: Any = None) -> dict[str, Any]:
    serializer = serializer_class(data=request.data if data is None else data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class PatrolViewSet(viewsets.GenericViewSet):
    """Staff whose posts grant ``patrols.view`` somewhere; a write also needs its own code (403 without it)."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        access.require(request.user, selectors.VIEW)


class RouteViewSet(PatrolViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Patrol routes (巡查路线): checkpoints, each with the QR code a phone scans (``scan_url``), and the schedule the
    rounds are released by."""

    serializer_class = s.PatrolRouteSerializer
    filterset_class = RouteFilter
    queryset = Route.objects.none()  # for the schema; get_queryset scopes by user

    def get_queryset(self) -> Any:
        return selectors.routes_for(self.request.user).order_by("project_id", "name", "pk")

    def out(self, route: Route, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=route.pk)).data, status=code)

    @extend_schema(request=s.PatrolRouteCreateSerializer, responses={201: s.PatrolRouteSerializer})
    def create(self, request: Request) -> Response:
        access.require(request.user, "patrols.manage")
        body = request.data if isinstance(request.data, Mapping) else {}
        project = project_param(body, request.user, "patrols.manage", invalid=_("Give the project's id."))
        data = valid(s.PatrolRouteCreateSerializer, request)
        data.pop("project", None)
        route = services.route_create(project=project, actor=actor(request), **data)
        return self.out(route, status.HTTP_201_CREATED)

    @extend_schema(request=s.PatrolRouteUpdateSerializer, responses={200: s.PatrolRouteSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        access.require(request.user, "patrols.manage")
        route = self.get_object()
        services.route_update(route=route, actor=actor(request), **valid(s.PatrolRouteUpdateSerializer, request))
        return self.out(route)


class RoundViewSet(PatrolViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Patrol rounds: each a task of the route's post, due ``window_minutes`` after it starts; ``status`` open → done
    (every checkpoint recorded) or missed (its day ended first)."""

    serializer_class = s.PatrolRoundSerializer
    filterset_class = RoundFilter
    queryset = Round.objects.none()

    def get_queryset(self) -> Any:
        return selectors.rounds_for(self.request.user).order_by("-starts_at", "-pk")

    @extend_schema(request={"application/json": s.PatrolRecordSerializer, "multipart/form-data": s.PatrolRecordUploadSerializer},
                   responses={200: s.PatrolRoundSerializer},
                   parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description="the checkpoint's code")])
    @action(detail=True, methods=["post"], url_path=CHECKPOINT, filterset_class=None)
    def checkpoint(self, request: Request, pk: str | None = None, code: str = "") -> Response:
        """Record the checkpoint ``code`` of the round once: ``ok``, or ``issue`` with a ``note`` (multipart: and a
        ``photo``), which opens a work order routed to the post that fixes it. Twice → 409; a round no longer open →
        409."""
        access.require(request.user, "patrols.walk")
        round_ = self.get_object()
        services.checkpoint_record(round=round_, code=code, walker=actor(request),
                                   photo=request.FILES.get("photo"), **valid(s.PatrolRecordSerializer, request))
        return Response(self.get_serializer(self.get_queryset().get(pk=round_.pk)).data)
