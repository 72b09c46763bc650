from importlib import import_module

from django.urls import URLPattern, URLResolver

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from dutydesk.core import views as core_views


def _app_urls(module_name: str) -> list[URLResolver]:
    """Each domain app contributes ``urls.py`` (pages) and ``api_urls.py`` (JSON API) if present."""
    found = []
    for app in settings.DOMAIN_APPS:
        try:
            module = import_module(f"{app}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.{module_name}":
                raise
            continue
        found.append(path("", include(module)))
    return found


api_patterns: list[URLPattern | URLResolver] = [
    path("schema", SpectacularJSONAPIView.as_view(), name="api-schema"),  # JSON, as the contract says
    # Swagger UI (served from the sidecar package) needs its own inline start-up script.
    path("docs", csp_override({**settings.SECURE_CSP, "script-src": [CSP.SELF, CSP.UNSAFE_INLINE]})(
        SpectacularSwaggerView.as_view(url_name="api-schema")), name="api-docs"),
    *_app_urls("api_urls"),
]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", include(api_patterns)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("files/<path:name>", core_views.stored_file, name="stored-file"),  # MEDIA_URL: permission-checked
    path("", include("dutydesk.web.urls")),  # the web edge (home page); not an app, so wired here
    *_app_urls("urls"),
]

handler403 = "dutydesk.core.views.forbidden"
handler404 = "dutydesk.core.views.not_found"
handler500 = "dutydesk.core.views.server_error"
