from django.urls import path

from dutydesk.stock import views

app_name = "stock"
urlpatterns = [
    path("stock/", views.levels, name="levels"),
    path("stock/items/save/", views.item_save, name="item-save"),
    path("stock/items/<int:pk>/", views.item_detail, name="item"),
    path("stock/receive/", views.receive, name="receive"),
    path("stock/pending/", views.pending, name="pending"),
    path("stock/receipts/<int:pk>/inspect/", views.inspect, name="inspect"),
    path("stock/issue/", views.issue, name="issue"),
    path("stock/count/", views.count, name="count"),
    path("stock/slips/", views.slips, name="slips"),
    path("stock/slips/<slug:kind>/<int:pk>/approve/", views.slip_approve, name="slip-approve"),
    path("stock/ledger/", views.ledger, name="ledger"),
    path("stock/ledger.xlsx", views.ledger_export, name="ledger-export"),
    path("stock/ledger/export/", views.ledger_export_job, name="ledger-export-job"),
]
