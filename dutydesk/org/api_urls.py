from django.urls import path

from dutydesk.core.routers import Router

from dutydesk.org import api

router = Router()
router.register("posts", api.PostViewSet, basename="post")

urlpatterns = [
    path("me", api.me, name="api-me"),
    path("catalogs/import", api.catalog_import, name="api-catalog-import"),
    path("reports/duty-coverage", api.duty_coverage, name="api-duty-coverage"),
    *router.urls,
]
