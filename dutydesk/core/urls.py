from django.contrib.auth import views as auth_views
from django.urls import path

from dutydesk.core import views

urlpatterns = [
    path("login/", views.ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("notifications/", views.notifications, name="notifications"),
    path("jobs/<int:pk>/", views.job_page, name="job"),
]
