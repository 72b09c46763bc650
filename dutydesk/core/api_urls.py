from django.urls import path

from dutydesk.core import views

urlpatterns = [
    path("auth/token", views.obtain_token, name="api-token"),
]
