from django.urls import path

from dutydesk.core.routers import Router
from dutydesk.duties import api

router = Router()
router.register("tasks", api.TaskViewSet, basename="task")
router.register("opinions", api.OpinionViewSet, basename="opinion")

urlpatterns = [
    path("reports/scorecards", api.scorecards_report, name="api-scorecards"),
    path("reports/dashboard", api.dashboard_report, name="api-dashboard"),
    path("reports/monthly", api.monthly_report, name="api-monthly-report"),
    *router.urls,
]
