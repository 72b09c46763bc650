from django.urls import path

from dutydesk.patrols import views

app_name = "patrols"
urlpatterns = [
    path("patrols/rounds/", views.rounds, name="rounds"),
    path("patrols/rounds/<int:pk>/", views.round_page, name="round"),
    path("patrols/rounds/<int:pk>/checkpoints/<slug:code>/", views.checkpoint, name="checkpoint"),
    path("patrols/routes/", views.routes, name="routes"),
    path("patrols/routes/<int:pk>/", views.route, name="route"),
    path("patrols/routes/<int:pk>/qr/", views.route_qr, name="route-qr"),
    path("patrols/routes/<int:pk>/qr.pdf", views.route_qr_pdf, name="route-qr-pdf"),
    # what a checkpoint's QR code opens (printed on the sheet: keep this address stable)
    path("patrols/scan/<int:route_pk>/<slug:code>/", views.scan, name="scan"),
]
