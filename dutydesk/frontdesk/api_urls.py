from django.urls import path

from dutydesk.core.routers import Router
from dutydesk.frontdesk import api

router = Router()
router.register("keys", api.KeyViewSet, basename="frontdesk-key")
router.register("key-counts", api.KeyCountViewSet, basename="frontdesk-key-count")
router.register("visits", api.VisitViewSet, basename="frontdesk-visit")
router.register("expected-visitors", api.ExpectedVisitorViewSet, basename="frontdesk-expected-visitor")
router.register("goods-releases", api.GoodsReleaseViewSet, basename="frontdesk-goods-release")
router.register("passes", api.AccessPassViewSet, basename="frontdesk-pass")
router.register("card-batches", api.CardBatchViewSet, basename="frontdesk-card-batch")
router.register("cards", api.CardViewSet, basename="frontdesk-card")
router.register("mail", api.MailViewSet, basename="frontdesk-mail")

urlpatterns = [
    path("reports/service-times", api.service_time_report, name="api-frontdesk-service-times"),
    path("reports/cards", api.card_report, name="api-frontdesk-card-report"),
    path("reports/keys", api.key_summary, name="api-frontdesk-key-summary"),
    *router.urls,
]
