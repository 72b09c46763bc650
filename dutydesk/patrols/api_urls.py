from dutydesk.core.routers import Router
from dutydesk.patrols import api

router = Router()
router.register("patrols/routes", api.RouteViewSet, basename="patrols-route")
router.register("patrols/rounds", api.RoundViewSet, basename="patrols-round")

urlpatterns = router.urls
