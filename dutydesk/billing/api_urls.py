from django.urls import path

from dutydesk.billing import api
from dutydesk.core.routers import Router

router = Router()
router.register("charge-items", api.ChargeItemViewSet, basename="charge-item")
router.register("unit-charges", api.UnitChargeViewSet, basename="unit-charge")
router.register("meter-readings", api.MeterReadingViewSet, basename="meter-reading")
router.register("billing/runs", api.BillRunViewSet, basename="bill-run")
router.register("bills", api.BillViewSet, basename="bill")
router.register("payments", api.PaymentViewSet, basename="payment")
router.register("late-fees", api.LateFeeViewSet, basename="late-fee")

urlpatterns = [
    path("billing/fee-notices", api.fee_notices, name="api-fee-notices"),
    path("billing/dunning/<int:pk>/notices", api.dunning_notices, name="api-dunning-notices"),
    path("billing/export/bills", api.bills_export, name="api-bills-export"),
    path("billing/export/payments", api.payments_export, name="api-payments-export"),
    path("reports/collection-rate", api.collection_rate, name="api-collection-rate"),
    path("reports/arrears", api.arrears, name="api-arrears"),
    path("reports/arrears/export", api.arrears_export, name="api-arrears-export"),
    path("reports/cash-up", api.cash_up, name="api-cash-up"),
    *router.urls,
]
