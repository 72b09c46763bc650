from django.urls import path

from dutydesk.frontdesk import views

app_name = "frontdesk"
urlpatterns = [
    path("frontdesk/", views.desk, name="desk"),
    path("frontdesk/tab/<slug:name>/", views.tab, name="tab"),
    path("frontdesk/tab/<slug:name>/<slug:op>/", views.act, name="act"),
    path("frontdesk/options/units/", views.unit_options, name="unit-options"),
    path("frontdesk/options/residents/", views.resident_options, name="resident-options"),
    path("frontdesk/visits/<int:pk>/pass/", views.visit_pass, name="visit-pass"),
    path("frontdesk/passes/<int:pk>/print/", views.access_pass_print, name="pass-print"),
    path("frontdesk/goods/<int:pk>/slip/", views.goods_receipt, name="goods-slip"),
    # the desk opened on one register (navigation entries of the posts that only keep that one)
    path("frontdesk/keys/", views.desk, {"tab": "keys"}, name="keys"),
    path("frontdesk/cards/", views.desk, {"tab": "cards"}, name="cards"),
    path("frontdesk/mail/", views.desk, {"tab": "mail"}, name="mail"),
    path("frontdesk/times/", views.desk, {"tab": "times"}, name="times"),
    path("portal/visitors/", views.portal_visitors, name="portal-visitors"),
]
