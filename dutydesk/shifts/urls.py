from django.urls import path

from dutydesk.shifts import views

app_name = "shifts"
urlpatterns = [
    path("shifts/", views.roster, name="roster"),
    path("shifts/roster/add/", views.roster_add, name="roster-add"),
    path("shifts/roster/fill/", views.roster_fill, name="roster-fill"),
    path("shifts/roster/leave/", views.leave, name="leave"),
    path("shifts/roster/entries/<int:pk>/remove/", views.entry_remove, name="entry-remove"),
    path("shifts/swaps/", views.swaps, name="swaps"),
    path("shifts/swaps/request/", views.swap_request, name="swap-request"),
    path("shifts/swaps/<int:pk>/<slug:verb>/", views.swap_decide, name="swap-decide"),
    path("shifts/handovers/", views.handovers, name="handovers"),
    path("shifts/handovers/new/", views.handover_new, name="handover-new"),
    path("shifts/handovers/<int:pk>/", views.handover_detail, name="handover"),
    path("shifts/handovers/<int:pk>/ack/", views.handover_ack, name="handover-ack"),
    path("shifts/times/", views.definitions, name="definitions"),
]
