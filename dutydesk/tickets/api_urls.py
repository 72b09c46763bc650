from django.urls import path

from dutydesk.core.routers import Router
from dutydesk.tickets import api

router = Router()
router.register("tickets", api.TicketViewSet, basename="ticket")
router.register("ticket-categories", api.CategoryViewSet, basename="ticket-category")

urlpatterns = [
    path("reports/return-visits", api.return_visit_report, name="api-report-return-visits"),
    *router.urls,
]
