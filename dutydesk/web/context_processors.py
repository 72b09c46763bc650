"""The staff navigation: each domain app's AppConfig lists ``nav_items`` as
``(label, url_name, permission_code_or_None)``; a link shows when the user's posts grant it. Instead of a code an
app may give a function ``f(user) -> bool`` (the registers: granted by the catalogue's writers and readers)."""
from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from dutydesk.org import access


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    resident = access.is_resident(user)
    groups: list[dict[str, Any]] = []
    for app_name in settings.DOMAIN_APPS:
        config = next(c for c in apps.get_app_configs() if c.name == app_name)
        items: list[dict[str, Any]] = []
        for label, url_name, perm in getattr(config, "resident_nav_items" if resident else "nav_items", []):
            if callable(perm) and not perm(user) or isinstance(perm, str) and not access.has_perm(user, perm):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append({"label": label, "url": url, "active": False})
        if items:
            groups.append({"label": config.verbose_name, "items": items, "active": False})
    # The active link is the one whose URL is the longest prefix of the current path.
    candidates = [(len(i["url"]), i, g) for g in groups for i in g["items"]
                  if i["url"] != "/" and request.path.startswith(i["url"].split("?")[0])]
    if candidates:
        _length, item, group = max(candidates, key=lambda c: c[0])
        item["active"] = group["active"] = True
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav_groups": groups, "unread_notifications": unread, "is_resident_user": resident}
