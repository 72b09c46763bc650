from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from dutydesk.archive.models import Resident
from dutydesk.core.request_types import AuthenticatedHttpRequest


def portal_links() -> list[dict[str, Any]]:
    """Each domain app lists its resident pages as ``portal_items = [(label, url_name)]``."""
    links = []
    for app_name in settings.DOMAIN_APPS:
        config = next(c for c in apps.get_app_configs() if c.name == app_name)
        for label, url_name in getattr(config, "portal_items", []):
            try:
                links.append({"label": label, "url": reverse(url_name)})
            except NoReverseMatch:
                continue
    return links


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    homes = Resident.objects.filter(user=request.user).select_related("unit__building", "unit__project")
    return render(request, "portal/home.html", {"homes": homes, "links": portal_links()})
