from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from dutydesk.core.models import Notification
from dutydesk.org import access


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


class TokenRequest(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


@extend_schema(request=TokenRequest, responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
               auth=[], tags=["auth"])
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def obtain_token(request):
    """Exchange a username and password for an API token (send it as ``Authorization: Bearer``)."""
    data = TokenRequest(data=request.data)
    data.is_valid(raise_exception=True)
    user = authenticate(request, username=data.validated_data["username"], password=data.validated_data["password"])
    if user is None or not user.is_active:
        return Response({"detail": _("Wrong username or password.")}, status=status.HTTP_401_UNAUTHORIZED)
    token, _created = Token.objects.get_or_create(user=user)
    return Response({"token": token.key})


@login_required
def home(request):
    if access.is_resident(request.user):
        return redirect("portal:home")
    return render(request, "core/home.html", {"holdings": access.holdings(request.user)})


@login_required
def notifications(request):
    items = Notification.objects.filter(user=request.user)[:100]
    if request.method == "POST":
        Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
        return redirect("notifications")
    return render(request, "core/notifications.html", {"items": items})
