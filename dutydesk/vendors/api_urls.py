from django.urls import path

from dutydesk.core.routers import Router
from dutydesk.vendors import api

router = Router()
router.register("vendors", api.VendorViewSet, basename="vendors-vendor")
router.register("vendor-evaluations", api.EvaluationViewSet, basename="vendors-evaluation")

urlpatterns = [
    path("reports/vendors", api.vendor_report, name="api-vendors-report"),
    *router.urls,
]
