from dutydesk.core.routers import Router
from dutydesk.registers import api

router = Router()
router.register("registers", api.RegisterViewSet, basename="register")

urlpatterns = router.urls
