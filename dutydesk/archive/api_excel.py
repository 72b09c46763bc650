from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from dutydesk.archive import selectors
from dutydesk.archive.excel import export_workbook, import_workbook
from dutydesk.archive.models import Project
from dutydesk.org import access

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _project(request, value):
    try:
        project = Project.objects.get(pk=int(value))
    except (TypeError, ValueError, Project.DoesNotExist):
        return None
    return project


@extend_schema(request={"multipart/form-data": {"type": "object", "properties": {
    "project": {"type": "integer"}, "file": {"type": "string", "format": "binary"}}}},
    responses={201: inline_serializer("ArchiveImportResult", {
        "units_created": serializers.IntegerField(), "units_updated": serializers.IntegerField(),
        "residents_created": serializers.IntegerField(), "residents_updated": serializers.IntegerField(),
        "buildings_created": serializers.IntegerField()})}, tags=["archive"])
@api_view(["POST"])
@parser_classes([MultiPartParser])
def archive_import(request):
    """Import units and residents from .xlsx (sheets 单元 and 业户). Nothing is imported if any row is bad."""
    project = _project(request, request.data.get("project"))
    if project is None:
        return Response({"errors": {"project": [_("Choose a project.")]}}, status=status.HTTP_400_BAD_REQUEST)
    if not access.has_perm(request.user, "archive.import", project):
        raise PermissionDenied()
    upload = request.FILES.get("file")
    if upload is None:
        return Response({"errors": {"file": [_("Attach the Excel file.")]}}, status=status.HTTP_400_BAD_REQUEST)
    report = import_workbook(upload, project=project, user=request.user)
    if not report.ok:
        return Response({"errors": {"rows": report.errors}}, status=status.HTTP_400_BAD_REQUEST)
    return Response(report.as_dict(), status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("project", int, required=True)], responses={(200, XLSX): bytes}, tags=["archive"])
@api_view(["GET"])
def archive_export(request):
    """Export the units and residents you may see in a project as .xlsx."""
    project = _project(request, request.query_params.get("project"))
    if project is None:
        return Response({"errors": {"project": [_("Choose a project.")]}}, status=status.HTTP_400_BAD_REQUEST)
    if not access.has_perm(request.user, "archive.import", project):
        raise PermissionDenied()
    units = selectors.units_visible_to(request.user).filter(project=project)
    residents = selectors.residents_visible_to(request.user).filter(unit__project=project)
    response = HttpResponse(export_workbook(units, residents, mask_identity=not selectors.may_see_identity(request.user, project.pk)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="archive-{project.code}.xlsx"'
    return response
