"""The staff navigation: each domain app's AppConfig lists ``nav_items`` as
``(label, url_name, permission_code_or_None)``; a link shows when the user's posts grant it."""
from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from dutydesk.org import access


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    resident = access.is_resident(user)
    groups = []
    for app_name in settings.DOMAIN_APPS:
        config = next(c for c in apps.get_app_configs() if c.name == app_name)
        items = []
        for label, url_name, perm in getattr(config, "resident_nav_items" if resident else "nav_items", []):
            if perm and not access.has_perm(user, perm):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append({"label": label, "url": url, "active": request.path.startswith(url) and url != "/"})
        if items:
            groups.append({"label": config.verbose_name, "items": items, "active": any(i["active"] for i in items)})
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav_groups": groups, "unread_notifications": unread, "is_resident_user": resident}
