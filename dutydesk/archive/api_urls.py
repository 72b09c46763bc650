from django.urls import path

from dutydesk.core.routers import Router

from dutydesk.archive import api, api_excel

router = Router()
router.register("projects", api.ProjectViewSet, basename="project")
router.register("buildings", api.BuildingViewSet, basename="building")
router.register("units", api.UnitViewSet, basename="unit")
router.register("residents", api.ResidentViewSet, basename="resident")
router.register("parking-spaces", api.ParkingSpaceViewSet, basename="parking-space")
router.register("vehicles", api.VehicleViewSet, basename="vehicle")

urlpatterns = [
    path("archive/import", api_excel.archive_import, name="api-archive-import"),
    path("archive/export", api_excel.archive_export, name="api-archive-export"),
    *router.urls,
]
