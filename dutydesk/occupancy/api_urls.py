from dutydesk.core.routers import Router
from dutydesk.occupancy import api

router = Router()
router.register("move-ins", api.MoveInViewSet, basename="occupancy-move-in")
router.register("move-outs", api.MoveOutViewSet, basename="occupancy-move-out")
router.register("renovations", api.RenovationViewSet, basename="occupancy-renovation")

urlpatterns = router.urls
