"""The staff navigation: each domain app's AppConfig lists ``nav_items`` as
``(label, url_name, permission_code_or_None)``; a link shows when the user's posts grant it. Instead of a code an
app may give a function ``f(user) -> bool`` (the registers: granted by the catalogue's writers and readers)."""
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from dutydesk.org import access


@lru_cache(maxsize=512)
def _link(url_name: str, prefix: str, urlconf: str | None) -> str | None:
    """The link's URL, reversed once per deployment prefix and URLconf (every staff page shows ~35 links)."""
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def _app_configs() -> list:
    by_name = {config.name: config for config in apps.get_app_configs()}
    return [by_name[name] for name in settings.DOMAIN_APPS]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    resident = access.is_resident(user)
    groups: list[dict[str, Any]] = []
    prefix, urlconf = get_script_prefix(), get_urlconf()
    for config in _app_configs():
        items: list[dict[str, Any]] = []
        for label, url_name, perm in getattr(config, "resident_nav_items" if resident else "nav_items", []):
            if callable(perm) and not perm(user) or isinstance(perm, str) and not access.has_perm(user, perm):
                continue
            url = _link(url_name, prefix, urlconf)
            if url is None:
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
