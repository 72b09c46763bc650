"""``GET /api/v1/jobs/{id}``: a background job as its requester sees it (shared/API.md "Background jobs")."""
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from dutydesk.core.models import BackgroundJob


class JobSerializer(serializers.ModelSerializer):
    result = serializers.JSONField(allow_null=True)

    class Meta:
        model = BackgroundJob
        fields = ["id", "kind", "status", "progress", "result", "error", "created_at", "started_at", "finished_at"]


class JobAccepted(serializers.Serializer):
    job = serializers.IntegerField()


def jobs_visible_to(user):
    """Your own jobs (a job may carry a report of your projects; nobody else reads it)."""
    if user.is_superuser:
        return BackgroundJob.objects.all()
    return BackgroundJob.objects.filter(created_by=user)


@extend_schema(responses=JobSerializer, tags=["jobs"])
@api_view(["GET"])
def job_detail(request, pk):
    """The state of a background job: ``queued|running|done|failed``, progress 0..100, result or error."""
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    data = JobSerializer(job).data
    if job.status != BackgroundJob.Status.FAILED:
        data["error"] = ""
    else:
        data["error"] = job.error.split("\n", 1)[0]  # the message; the traceback stays in the row for admins
    return Response(data)


def accepted(job) -> Response:
    """The 202 answer to ``Prefer: respond-async``."""
    response = Response({"job": job.pk}, status=202)
    response["Location"] = f"/api/v1/jobs/{job.pk}"
    response["Preference-Applied"] = "respond-async"
    return response
