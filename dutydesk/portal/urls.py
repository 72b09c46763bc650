from django.urls import path

from dutydesk.portal import views

app_name = "portal"
urlpatterns = [
    path("portal/", views.home, name="home"),
]
