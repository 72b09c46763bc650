from django.urls import path

from dutydesk.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
