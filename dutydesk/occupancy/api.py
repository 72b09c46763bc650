"""JSON API of move-ins, renovations and move-outs (shared/API.md "Property operations"). Thin: the edge checks the
permission code and scopes the objects (outside the scope: 404), validates with the input serializer, calls the
service (which checks the permission in the unit's own project, the state and the rules) and answers with the
output serializer."""
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dutydesk.core.idempotency import idempotent
from dutydesk.occupancy import selectors, services
from dutydesk.occupancy import serializers as s
from dutydesk.occupancy.filters import MoveInFilter, MoveOutFilter, RenovationFilter
from dutydesk.occupancy.models import MoveIn, MoveOut, Renovation
from dutydesk.org import access

STEP = r"steps/(?P<code>[a-z_]{1,20})/done"


def actor(request: Request) -> Any:
    """The signed-in user acting (the web edge types users as ``Any``; the services take a ``User``)."""
    return request.user

def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class OccupancyViewSet(viewsets.GenericViewSet):
    """Staff whose posts grant ``occupancy.view`` somewhere; a write also needs its own code (403 without it)."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        access.require(request.user, selectors.VIEW)

    def out(self, obj: Any, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=obj.pk)  # with its steps, workers, inspections as the list shows them
        return Response(self.get_serializer(fresh).data, status=code)


LIST_PARAMETERS = [OpenApiParameter("status", str, description="one status or several: open,completed"),
                   OpenApiParameter("unit", int), OpenApiParameter("project", int)]
STEP_PARAMETER = OpenApiParameter("code", str, OpenApiParameter.PATH, description="the step's code")


@extend_schema_view(list=extend_schema(parameters=LIST_PARAMETERS))
class MoveInViewSet(OccupancyViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The move-in checklist of a unit (入住收楼); all steps done → the unit is occupied and the resident active."""

    serializer_class = s.MoveInSerializer
    filterset_class = MoveInFilter
    queryset = MoveIn.objects.none()  # for the schema; get_queryset scopes by user

    def get_queryset(self) -> Any:
        return selectors.move_ins_for(self.request.user)

    @extend_schema(request=s.MoveInCreateSerializer, responses={201: s.MoveInSerializer})
    def create(self, request: Request) -> Response:
        access.require(request.user, "occupancy.move_in")
        move_in = services.move_in_open(clerk=actor(request), **_valid(s.MoveInCreateSerializer, request))
        return self.out(move_in, status.HTTP_201_CREATED)

    @extend_schema(request=s.StepDoneSerializer, responses={200: s.MoveInSerializer}, parameters=[STEP_PARAMETER])
    @action(detail=True, methods=["post"], url_path=STEP, filterset_class=None)
    def step_done(self, request: Request, pk: str | None = None, code: str = "") -> Response:
        access.require(request.user, "occupancy.move_in")
        move_in = self.get_object()
        services.move_in_step_done(move_in=move_in, code=code, clerk=actor(request),
                                   **_valid(s.StepDoneSerializer, request))
        return self.out(move_in)


@extend_schema_view(list=extend_schema(parameters=LIST_PARAMETERS))
class MoveOutViewSet(OccupancyViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """A move-out (退租/迁出): 409 while the unit has arrears; done → goods release issued, the unit vacant."""

    serializer_class = s.MoveOutSerializer
    filterset_class = MoveOutFilter
    queryset = MoveOut.objects.none()

    def get_queryset(self) -> Any:
        return selectors.move_outs_for(self.request.user)

    @extend_schema(request=s.MoveOutCreateSerializer, responses={201: s.MoveOutSerializer})
    def create(self, request: Request) -> Response:
        access.require(request.user, "occupancy.move_out")
        move_out = services.move_out_open(clerk=actor(request), **_valid(s.MoveOutCreateSerializer, request))
        return self.out(move_out, status.HTTP_201_CREATED)

    @extend_schema(request=s.MoveOutStepDoneSerializer, responses={200: s.MoveOutSerializer},
                   parameters=[STEP_PARAMETER])
    @action(detail=True, methods=["post"], url_path=STEP, filterset_class=None)
    def step_done(self, request: Request, pk: str | None = None, code: str = "") -> Response:
        access.require(request.user, "occupancy.move_out")
        move_out = self.get_object()
        services.move_out_step_done(move_out=move_out, code=code, clerk=actor(request),
                                    **_valid(s.MoveOutStepDoneSerializer, request))
        return self.out(move_out)


class InspectionUploadSerializer(s.InspectionCreateSerializer):
    photos = serializers.ListField(child=serializers.FileField(), required=False,
                                   help_text="photos (JPEG, PNG, GIF, WebP, HEIC), at most 10")


@extend_schema_view(list=extend_schema(parameters=[*LIST_PARAMETERS, OpenApiParameter("overdue", bool)]))
class RenovationViewSet(OccupancyViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Renovations (装修): application → approve → inspections → close; the deposit is a billing receivable and is
    refunded only after a passed final inspection (409 before)."""

    serializer_class = s.RenovationSerializer
    filterset_class = RenovationFilter
    queryset = Renovation.objects.none()

    def get_queryset(self) -> Any:
        renovations = selectors.renovations_for(self.request.user)
        return selectors.renovation_list(renovations) if self.action == "list" else renovations

    @extend_schema(request=s.RenovationCreateSerializer, responses={201: s.RenovationSerializer})
    def create(self, request: Request) -> Response:
        access.require(request.user, "occupancy.renovation")
        renovation = services.renovation_apply(clerk=actor(request),
                                               **_valid(s.RenovationCreateSerializer, request))
        return self.out(renovation, status.HTTP_201_CREATED)

    @extend_schema(request=s.DecisionSerializer, responses={200: s.RenovationSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request: Request, pk: str | None = None) -> Response:
        access.require(request.user, "occupancy.approve")
        renovation = self.get_object()
        services.renovation_approve(renovation=renovation, approver=actor(request),
                                    **_valid(s.DecisionSerializer, request))
        return self.out(renovation)

    @extend_schema(request=s.RejectSerializer, responses={200: s.RenovationSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request: Request, pk: str | None = None) -> Response:
        access.require(request.user, "occupancy.approve")
        renovation = self.get_object()
        services.renovation_reject(renovation=renovation, approver=actor(request),
                                   **_valid(s.RejectSerializer, request))
        return self.out(renovation)

    @extend_schema(request=s.WorkerCreateSerializer, responses={201: s.RenovationSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def workers(self, request: Request, pk: str | None = None) -> Response:
        access.require(request.user, "occupancy.renovation")
        renovation = self.get_object()
        services.renovation_worker_add(renovation=renovation, clerk=actor(request),
                                       **_valid(s.WorkerCreateSerializer, request))
        return self.out(renovation, status.HTTP_201_CREATED)

    @extend_schema(request=s.ExtendSerializer, responses={200: s.RenovationSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def extend(self, request: Request, pk: str | None = None) -> Response:
        access.require(request.user, "occupancy.renovation")
        renovation = self.get_object()
        services.renovation_extend(renovation=renovation, clerk=actor(request),
                                   **_valid(s.ExtendSerializer, request))
        return self.out(renovation)

    @extend_schema(methods=["GET"], request=None, responses={200: s.InspectionSerializer(many=True)})
    @extend_schema(methods=["POST"], request={"application/json": s.InspectionCreateSerializer,
                                              "multipart/form-data": InspectionUploadSerializer},
                   responses={201: s.InspectionSerializer})
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def inspections(self, request: Request, pk: str | None = None) -> Response:
        """GET: the renovation's inspections. POST ``{"result": "pass|fail", "note", "final"}`` (multipart with
        ``photos`` files): a passing final inspection ends the works."""
        renovation = self.get_object()
        if request.method == "GET":
            return Response(s.InspectionSerializer(renovation.inspections.all(), many=True).data)
        access.require(request.user, "occupancy.inspect")
        data = _valid(s.InspectionCreateSerializer, request)
        inspection = services.renovation_inspect(renovation=renovation, inspector=actor(request),
                                                 photos=request.FILES.getlist("photos"), **data)
        return Response(s.InspectionSerializer(inspection).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CloseSerializer, responses={200: s.RenovationSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request: Request, pk: str | None = None) -> Response:
        access.require(request.user, "occupancy.renovation")
        renovation = self.get_object()
        services.renovation_close(renovation=renovation, clerk=actor(request),
                                  **_valid(s.CloseSerializer, request))
        return self.out(renovation)

    @extend_schema(request=s.RefundCreateSerializer, responses={200: s.RenovationSerializer},
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)])
    @action(detail=True, methods=["post"], filterset_class=None)
    def refund(self, request: Request, pk: str | None = None) -> Response:
        """Refund the deposit: 409 before a passed final inspection, when refunded already or not collected yet."""
        access.require(request.user, "occupancy.refund")
        renovation = self.get_object()

        def pay_back() -> tuple[int, Any]:
            services.renovation_deposit_refund(renovation=renovation, user=actor(request),
                                               **_valid(s.RefundCreateSerializer, request))
            fresh = self.get_queryset().get(pk=renovation.pk)
            return 200, self.get_serializer(fresh).data

        code, body = idempotent(user=actor(request), key=request.headers.get("Idempotency-Key", "").strip(),
                                data=request.data, action=pay_back)
        return Response(body, status=code)
