from django.urls import path

from dutydesk.billing import views

app_name = "billing"
urlpatterns = [
    path("billing/", views.home, name="home"),
    path("billing/runs/", views.run_create, name="run-create"),
    path("billing/runs/<int:pk>/", views.run_detail, name="run"),
    path("billing/runs/<int:run_pk>/buildings/<int:building_pk>/notices.pdf", views.fee_notices, name="fee-notices"),
    path("billing/bills/", views.bills, name="bills"),
    path("billing/bills/<int:pk>/", views.bill_detail, name="bill"),
    path("billing/bills/<int:pk>/pay", views.bill_pay, name="bill-pay"),
    path("billing/bills/<int:pk>/notice.pdf", views.bill_notice, name="bill-notice"),
    path("billing/payments/<int:pk>/reverse", views.payment_reverse, name="payment-reverse"),
    path("billing/payments/<int:pk>/receipt.pdf", views.receipt, name="receipt"),
    path("billing/arrears/", views.arrears, name="arrears"),
    path("billing/cash-up/", views.cash_up, name="cash-up"),
    path("billing/dunning/<int:pk>/", views.dunning_detail, name="dunning"),
    path("billing/dunning/<int:pk>/notices/", views.dunning_notices_job, name="dunning-notices"),
    path("billing/export/<str:kind>/", views.export_job, name="export"),
    path("portal/billing/", views.portal_bills, name="portal"),
    path("portal/billing/receipts/<int:pk>.pdf", views.portal_receipt, name="portal-receipt"),
    path("portal/billing/bills/<int:pk>/notice.pdf", views.portal_notice, name="portal-notice"),
]
