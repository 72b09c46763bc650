from django.urls import path

from dutydesk.org import views

app_name = "org"
urlpatterns = [
    path("org/", views.chart, name="chart"),
    path("org/posts/<int:pk>/", views.post_detail, name="post"),
]
