from collections.abc import Sequence

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from dutydesk.archive import selectors
from dutydesk.archive.filters import BuildingFilter, ResidentFilter, UnitFilter
from dutydesk.archive.models import Building, IdentityReveal, ParkingSpace, Project, Resident, Unit, Vehicle
from dutydesk.archive.serializers import (BuildingSerializer, ParkingSpaceSerializer, ProjectSerializer,
                                          ResidentSerializer, UnitSerializer, VehicleSerializer)
from dutydesk.org import access

WRITE_METHODS: Sequence[str] = ["get", "post", "put", "patch", "head", "options"]
BILLABLE_FIELDS_PERMISSION = "billing.configure"  # the area is what management fees are billed on


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProjectSerializer
    queryset = Project.objects.none()  # for the schema; get_queryset scopes by user

    def get_queryset(self):
        return selectors.projects_visible_to(self.request.user)


class BuildingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BuildingSerializer
    filterset_class = BuildingFilter
    queryset = Building.objects.none()

    def get_queryset(self):
        return selectors.buildings_visible_to(self.request.user)


class ArchiveWriteMixin:
    """Writes need ``archive.edit`` for the unit concerned (a butler: only their floors)."""

    http_method_names = WRITE_METHODS

    def check_unit(self, unit):
        if not access.allows_unit(self.request.user, "archive.edit", unit):
            raise PermissionDenied()

    def perform_create(self, serializer):
        self.check_unit(self.unit_of(serializer.validated_data))
        serializer.save()

    def perform_update(self, serializer):
        self.check_unit(self.current_unit(serializer.instance))
        moved_to = self.unit_of(serializer.validated_data)
        if moved_to is not None:
            self.check_unit(moved_to)
        serializer.save()


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("project", int), OpenApiParameter("building", int), OpenApiParameter("floor", int),
    OpenApiParameter("number", str), OpenApiParameter("status", str), OpenApiParameter("q", str)]))
class UnitViewSet(ArchiveWriteMixin, viewsets.ModelViewSet):
    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    queryset = Unit.objects.none()

    def current_unit(self, unit):
        return unit

    def unit_of(self, data):
        """The unit as it will be after the write (for the scope check): a partial update keeps the fields it
        does not send, so a butler cannot move a unit off their floors by sending only ``floor``."""
        instance = getattr(self, "_editing", None)
        building = data.get("building") or (instance.building if instance else None)
        if building is None:
            return None
        floor = data.get("floor", instance.floor if instance else 0)
        return Unit(project_id=building.project_id, building=building, floor=floor)

    def perform_update(self, serializer):
        self._editing = serializer.instance
        area = serializer.validated_data.get("area_m2")
        if area is not None and area != serializer.instance.area_m2 and not access.has_perm(
                self.request.user, BILLABLE_FIELDS_PERMISSION, serializer.instance.project_id):
            raise PermissionDenied(_("The area is what the fees are billed on: only a post with the billing "
                                     "configuration permission may change it."))
        super().perform_update(serializer)

    def get_queryset(self):
        return selectors.units_visible_to(self.request.user)


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("unit", int), OpenApiParameter("phone", str), OpenApiParameter("q", str),
    OpenApiParameter("role", str)]))
class ResidentViewSet(ArchiveWriteMixin, viewsets.ModelViewSet):
    serializer_class = ResidentSerializer
    filterset_class = ResidentFilter
    queryset = Resident.objects.none()

    def current_unit(self, resident):
        return resident.unit

    def unit_of(self, data):
        return data.get("unit")

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if "unit" in getattr(serializer, "fields", {}):
            serializer.fields["unit"].queryset = selectors.units_visible_to(self.request.user)
        return serializer

    @extend_schema(request=None, responses=ResidentSerializer, tags=["archive"])
    @action(detail=True, methods=["post"], url_path="identity")
    def identity(self, request, pk=None):
        """The full identity number, for a post granting ``archive.view_identity``; every reveal is recorded."""
        resident = self.get_object()
        if not selectors.may_see_identity(request.user, resident.unit.project_id):
            raise PermissionDenied()
        IdentityReveal.objects.create(resident=resident, user=request.user, reason=str(request.data.get("reason", ""))[:200])
        request._identity_revealed = resident.pk
        return Response(self.get_serializer(resident).data)

    def get_queryset(self):
        return selectors.residents_visible_to(self.request.user)


class ParkingSpaceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ParkingSpaceSerializer
    queryset = ParkingSpace.objects.none()

    def get_queryset(self):
        return ParkingSpace.objects.filter(access.project_scope(self.request.user, "archive.view"))


class VehicleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = VehicleSerializer
    queryset = Vehicle.objects.none()

    def get_queryset(self):
        return Vehicle.objects.filter(access.unit_scope(self.request.user, "archive.view", "unit__"))
