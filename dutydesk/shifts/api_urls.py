from django.urls import path

from dutydesk.core.routers import Router
from dutydesk.shifts import api

router = Router()
router.register("shifts", api.ShiftViewSet, basename="shifts-shift")
router.register("rosters", api.RosterViewSet, basename="shifts-roster")
router.register("roster-entries", api.EntryViewSet, basename="shifts-entry")
router.register("swaps", api.SwapViewSet, basename="shifts-swap")
router.register("handovers", api.HandoverViewSet, basename="shifts-handover")

urlpatterns = [
    path("leaves", api.leave, name="api-shifts-leave"),
    path("on-duty", api.on_duty, name="api-shifts-on-duty"),
    *router.urls,
]
