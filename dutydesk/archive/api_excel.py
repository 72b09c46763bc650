from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from dutydesk.archive.excel import import_workbook, project_export
from dutydesk.archive.models import Project
from dutydesk.core.api_jobs import JobAccepted, accepted
from dutydesk.core.background import wants_async
from dutydesk.core.filters import as_int
from dutydesk.core.tasks import job_enqueue
from dutydesk.org import access

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _project(value) -> Project | None:
    """The project the form or query names, or None (400 "Choose a project."): archive sits below the web edge, so it
    does not use ``web.params.project_param``."""
    project_id = as_int(value)
    return Project.objects.filter(pk=project_id).first() if project_id is not None else None


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
    project = _project(request.data.get("project"))
    if project is None:
        return Response({"errors": {"project": [_("Choose a project.")]}}, status=status.HTTP_400_BAD_REQUEST)
    access.require(request.user, "archive.import", project)
    upload = request.FILES.get("file")
    if upload is None:
        return Response({"errors": {"file": [_("Attach the Excel file.")]}}, status=status.HTTP_400_BAD_REQUEST)
    report = import_workbook(upload, project=project, user=request.user)
    if not report.ok:
        return Response({"errors": {"rows": report.errors}}, status=status.HTTP_400_BAD_REQUEST)
    return Response(report.as_dict(), status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("project", int, required=True)],
               responses={(200, XLSX): bytes, 202: JobAccepted}, tags=["archive"])
@api_view(["GET"])
def archive_export(request):
    """Export the units and residents you may see in a project as .xlsx; with ``Prefer: respond-async`` → 202
    ``{"job": id}``, the file then at the job's ``result.download``."""
    project = _project(request.query_params.get("project"))
    if project is None:
        return Response({"errors": {"project": [_("Choose a project.")]}}, status=status.HTTP_400_BAD_REQUEST)
    access.require(request.user, "archive.import", project)
    if wants_async(request):
        return accepted(job_enqueue("archive.export", user=request.user, params={"project": project.pk}))
    data, filename, _masked = project_export(user=request.user, project=project)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
