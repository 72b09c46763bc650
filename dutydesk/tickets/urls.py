from django.urls import path

from dutydesk.tickets import views

app_name = "tickets"
urlpatterns = [
    path("tickets/", views.queue, name="queue"),
    path("tickets/new/", views.intake, name="intake"),
    path("tickets/lookup/", views.lookup, name="lookup"),
    path("tickets/new/caller-unit/", views.intake_panel, name="intake-panel"),
    path("tickets/return-visits/", views.return_visits, name="return-visits"),
    path("tickets/reports/return-visits/", views.report, name="report"),
    path("tickets/<int:pk>/", views.detail, name="detail"),
    path("tickets/<int:pk>/<str:action>/", views.act, name="act"),
    path("portal/tickets/", views.portal_list, name="portal-list"),
    path("portal/tickets/new/", views.portal_new, name="portal-new"),
    path("portal/tickets/<int:pk>/", views.portal_detail, name="portal-detail"),
]
