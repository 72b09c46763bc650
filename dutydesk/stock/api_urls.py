from django.urls import path

from dutydesk.core.routers import Router
from dutydesk.stock import api

router = Router()
router.register("stock/items", api.ItemViewSet, basename="stock-item")
router.register("stock/receipts", api.ReceiptViewSet, basename="stock-receipt")
router.register("stock/issues", api.IssueViewSet, basename="stock-issue")
router.register("stock/counts", api.CountViewSet, basename="stock-count")

urlpatterns = [
    path("stock/levels", api.levels, name="api-stock-levels"),
    path("stock/ledger", api.ledger, name="api-stock-ledger"),
    *router.urls,
]
