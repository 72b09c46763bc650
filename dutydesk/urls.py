from importlib import import_module

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from dutydesk.core import views as core_views


def _app_urls(module_name):
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


api_patterns = [
    path("schema", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    *_app_urls("api_urls"),
]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", include(api_patterns)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *_app_urls("urls"),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "dutydesk.core.views.not_found"
