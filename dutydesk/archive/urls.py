from django.urls import path

from dutydesk.archive import views

app_name = "archive"
urlpatterns = [
    path("units/", views.units, name="units"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:unit_pk>/residents/new/", views.resident_create, name="resident-new"),
    path("residents/", views.residents, name="residents"),
    path("residents/<int:pk>/", views.resident_detail, name="resident"),
    path("archive/import/", views.archive_import, name="import"),
    path("archive/export/<int:project_pk>/", views.archive_export, name="export"),
]
