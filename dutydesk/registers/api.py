"""JSON API of the registers (shared/API.md "Registers"). Thin: the edge checks who may use the register and in
which project; ``registers.services`` checks the values and writes."""
import json
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from dutydesk.archive.models import Project
from dutydesk.core.errors import BusinessRuleError
from dutydesk.org.models import Post, Register
from dutydesk.registers import selectors, services
from dutydesk.registers import serializers as s
from dutydesk.registers.filters import entries_in_window
from dutydesk.registers.models import Entry
from dutydesk.web.params import int_param


def _project(request: Request, *, required: bool) -> Project | None:
    source: Any = request.data if request.method == "POST" else request.query_params
    project_id = int_param(source, "project", error=_("Give the project (its id)."))
    if project_id is None:
        if required:
            raise BusinessRuleError({"project": [_("Give the project (its id).")]})
        return None
    return get_object_or_404(Project, pk=project_id)


@extend_schema(parameters=[OpenApiParameter("project", int)])
class RegisterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The registers my posts write or read (``can_write``: I may record entries), with their typed fields."""

    serializer_class = s.RegisterSerializer
    lookup_field = "code"
    lookup_value_regex = "[a-z0-9][a-z0-9_-]*"
    queryset = Register.objects.none()  # for the schema; get_queryset scopes by user
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        project = _project(self.request, required=False) if self.action == "list" else None
        return (selectors.registers_for(self.request.user, project).select_related("procedure")
                .prefetch_related(Prefetch("writers", queryset=Post.objects.only("code")),
                                  Prefetch("readers", queryset=Post.objects.only("code"))).order_by("position", "pk"))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        project = self.request.query_params.get("project")
        context["writable"] = selectors.writable_codes(self.request.user,
                                                       int(project) if str(project).isdigit() else None)
        return context

    def register(self, code: str) -> Register:
        return get_object_or_404(selectors.registers_for(self.request.user), code=code)

    @extend_schema(methods=["GET"], responses={200: s.EntrySerializer(many=True)}, parameters=[
        OpenApiParameter("project", int), OpenApiParameter("from", str), OpenApiParameter("to", str),
        OpenApiParameter("period", str), OpenApiParameter("status", str, enum=["open", "finished"]),
        OpenApiParameter("recorded_by", int)])
    @extend_schema(methods=["POST"], request=s.EntryCreateSerializer, responses={201: s.EntrySerializer, 403: None})
    @action(detail=True, methods=["get", "post"])
    def entries(self, request, code=None):
        register = self.register(code)
        if request.method == "POST":
            return self._record(request, register)
        entries = selectors.entries_visible_to(request.user, register)
        project = _project(request, required=False)
        if project is not None:
            entries = entries.filter(project=project)
        entries = entries_in_window(entries, request.query_params).select_related("register").order_by("-started_at", "-id")
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(s.EntrySerializer(page, many=True).data)

    def _record(self, request, register):
        project = _project(request, required=True)
        if services.writer_post(request.user, register, project) is None and not request.user.is_superuser:
            raise PermissionDenied(_("Your posts do not write this register in this project."))
        values = request.data.get("values", {})
        if isinstance(values, str):  # multipart: values as JSON text beside the photo files
            try:
                values = json.loads(values) if values.strip() else {}
            except ValueError:
                raise BusinessRuleError({"values": [_("values must be a mapping of field codes to values.")]}) from None
        files = {name.removeprefix("values."): upload for name, upload in request.FILES.items()}
        started_at = None
        if request.data.get("started_at"):
            data = s.EntryCreateSerializer(data={"project": project.pk, "values": {},
                                                 "started_at": request.data["started_at"]})
            data.is_valid(raise_exception=True)
            started_at = data.validated_data.get("started_at")
        entry = services.entry_record(register=register, project=project, user=request.user, values=values,
                                      files=files, started_at=started_at)
        return Response(s.EntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    def entry(self, code: str, entry_id: str) -> Entry:
        register = self.register(code)
        try:
            return selectors.entries_visible_to(self.request.user, register).get(pk=int(entry_id))
        except (Entry.DoesNotExist, ValueError):
            raise Http404 from None

    @extend_schema(responses={200: s.EntrySerializer})
    @action(detail=True, methods=["get"], url_path=r"entries/(?P<entry_id>[0-9]+)")
    def entry_detail(self, request, code=None, entry_id=None):
        return Response(s.EntrySerializer(self.entry(code, entry_id)).data)

    @extend_schema(request=None, responses={200: s.EntrySerializer, 409: None})
    @action(detail=True, methods=["post"], url_path=r"entries/(?P<entry_id>[0-9]+)/finish")
    def finish(self, request, code=None, entry_id=None):
        entry = services.entry_finish(entry=self.entry(code, entry_id), user=request.user)
        return Response(s.EntrySerializer(entry).data)
