from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, redirect_to_login
from django.db import transaction
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from dutydesk.core import files, throttle
from dutydesk.core.drf import BearerTokenAuthentication, token_expired
from dutydesk.core.models import Notification
from dutydesk.core.request_types import AuthenticatedHttpRequest


def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("You do not have permission to perform this action.")}, status=403)
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without a request context or the database (which may be what failed)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error. 服务器错误。"}, status=500)
    return HttpResponseServerError(loader.get_template("500.html").render())


class TokenRequest(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


def _too_many_attempts(wait: int) -> Response:
    response = Response({"detail": _("Too many failed logins. Try again in %(seconds)s seconds.") % {"seconds": wait}},
                        status=status.HTTP_429_TOO_MANY_REQUESTS)
    response["Retry-After"] = str(wait)
    return response


@extend_schema(request=TokenRequest, responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
               auth=[], tags=["auth"])
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def obtain_token(request: Request) -> Response:
    """Exchange a username and password for an API token (send it as ``Authorization: Bearer``).

    The token lives ``DUTYDESK_TOKEN_DAYS`` days; repeated failures for a username or an address answer 429."""
    data = TokenRequest(data=request.data)
    data.is_valid(raise_exception=True)
    username = data.validated_data["username"]
    wait = throttle.retry_after(request, username)
    if wait:
        return _too_many_attempts(wait)
    user = authenticate(request, username=username, password=data.validated_data["password"])
    if user is None or not user.is_active:
        return Response({"detail": _("Wrong username or password.")}, status=status.HTTP_401_UNAUTHORIZED)
    throttle.clear_user(request, username)
    with transaction.atomic():
        token, _created = Token.objects.select_for_update().get_or_create(user=user)
        if token_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
    return Response({"token": token.key})


@extend_schema(request=None, responses={204: None}, tags=["auth"])
@api_view(["POST"])
def revoke_token(request: Request) -> Response:
    """Revoke the Bearer token of this request: it answers 401 from now on."""
    if isinstance(request.auth, Token):
        request.auth.delete()
    return Response(status=status.HTTP_204_NO_CONTENT)


class ThrottledLoginView(LoginView):
    """The login form, with the same failed-login throttle as the token endpoint."""

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = throttle.retry_after(request, request.POST.get("username", ""))
        if wait:
            response = self.render_to_response(self.get_context_data(
                form=self.get_form(), throttled_seconds=wait))
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)


@login_required
def job_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A background job as its requester follows it: a progress bar that refreshes itself (htmx) until the job is
    done, then the result and a link to open it."""
    from dutydesk.core.api_jobs import jobs_visible_to
    from dutydesk.core.background import job_title

    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    result = job.result if isinstance(job.result, dict) else {}

    def local_link(name: str) -> str:
        link = result.get(name, "")
        return link if isinstance(link, str) and link.startswith("/") and not link.startswith("//") else ""

    return render(request, "core/job.html", {
        "job": job, "title": job_title(job.kind), "finished": job.status in ("done", "failed"),
        "url": local_link("url"), "download": local_link("download"),
        "message": job.error.split("\n", 1)[0] if job.status == "failed" else ""})


@login_required
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    items = Notification.objects.filter(user=request.user)[:100]
    if request.method == "POST":
        Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
        return redirect("notifications")
    return render(request, "core/notifications.html", {"items": items})


def stored_file(request: HttpRequest, name: str) -> HttpResponse | FileResponse:
    """A stored file, after the owning app's permission check: anonymous → 401 (login page for a browser),
    not allowed or not there → 404 (whether it exists is not told). The API's Bearer token works here too, so an
    app can fetch the photo URLs the API gives it."""
    if not request.user.is_authenticated and request.headers.get("Authorization", "").startswith("Bearer "):
        try:
            # DRF's authenticate reads only request.META, which a Django request has as well
            found = BearerTokenAuthentication().authenticate(request)  # type: ignore[arg-type]
        except AuthenticationFailed:
            found = None
        if found:
            request.user = found[0]
    if not request.user.is_authenticated:
        if "text/html" in request.headers.get("Accept", ""):
            return redirect_to_login(request.get_full_path())
        return JsonResponse({"detail": _("Log in to see this file.")}, status=401)
    stored = files.clean_name(name)
    if stored is None or not files.may_read(request.user, stored):
        raise Http404
    return files.file_response(stored)
