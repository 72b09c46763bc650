"""``GET /api/v1/jobs/{id}``: a background job as its requester sees it (shared/API.md "Background jobs")."""
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from dutydesk.core.models import BackgroundJob


class JobSerializer(serializers.ModelSerializer):
    result = serializers.JSONField(allow_null=True)

    class Meta:
        model = BackgroundJob
        fields = ["id", "kind", "status", "progress", "result", "error", "created_at", "started_at", "finished_at"]


class JobAccepted(serializers.Serializer):
    job = serializers.IntegerField()


def jobs_visible_to(user: Any) -> QuerySet[BackgroundJob]:
    """Your own jobs (a job may carry a report of your projects; nobody else reads it)."""
    if user.is_superuser:
        return BackgroundJob.objects.all()
    return BackgroundJob.objects.filter(created_by=user)


@extend_schema(responses=JobSerializer, tags=["jobs"])
@api_view(["GET"])
def job_detail(request: Request, pk: int) -> Response:
    """The state of a background job: ``queued|running|done|failed``, progress 0..100, result or error."""
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    data = JobSerializer(job).data
    if job.status != BackgroundJob.Status.FAILED:
        data["error"] = ""
    else:
        data["error"] = job.error.split("\n", 1)[0]  # the message; the traceback stays in the row for admins
    return Response(data)


@extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
                          (200, "application/pdf"): OpenApiTypes.BINARY}, tags=["jobs"])
@api_view(["GET"])
def job_file(request: Request, pk: int) -> HttpResponse | FileResponse:
    """The file a finished job produced (an export, a PDF): for its requester and for users holding the same
    permission in its project (see each kind's ``may_download``); 403 for anyone else, 404 while there is none."""
    from dutydesk.core import files
    from dutydesk.core.background import may_download

    job = get_object_or_404(BackgroundJob, pk=pk)
    if not may_download(request.user, job):
        raise PermissionDenied()
    name = job.file.name  # an empty FieldFile has no name
    if job.status != BackgroundJob.Status.DONE or not name:
        raise Http404
    return files.file_response(name)


def accepted(job: BackgroundJob) -> Response:
    """The 202 answer to ``Prefer: respond-async``."""
    response = Response({"job": job.pk}, status=202)
    response["Location"] = f"/api/v1/jobs/{job.pk}"
    response["Preference-Applied"] = "respond-async"
    return response
