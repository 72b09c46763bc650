from django.urls import path

from dutydesk.registers import views

app_name = "registers"
urlpatterns = [
    path("registers/", views.index, name="index"),
    path("registers/<slug:code>/", views.entries, name="entries"),
    path("registers/<slug:code>/new", views.entry_new, name="new"),
    path("registers/<slug:code>/export", views.export, name="export"),
    path("registers/<slug:code>/<int:pk>/", views.entry_detail, name="entry"),
    path("registers/<slug:code>/<int:pk>/finish", views.entry_finish, name="finish"),
    path("registers/<slug:code>/<int:pk>/print", views.entry_print, name="print"),
    path("portal/notices/", views.portal_notices, name="portal-notices"),
]
