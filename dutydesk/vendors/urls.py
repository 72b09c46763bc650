from django.urls import path

from dutydesk.vendors import views

app_name = "vendors"
urlpatterns = [
    path("vendors/", views.vendor_list, name="list"),
    path("vendors/<int:pk>/", views.vendor_detail, name="vendor"),
    path("vendors/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("vendors/report/", views.report, name="report"),
    path("vendors/report.xlsx", views.report_export, name="report-export"),
]
