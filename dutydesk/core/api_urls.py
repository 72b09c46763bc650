from django.urls import path

from dutydesk.core import api_jobs, views

urlpatterns = [
    path("auth/token", views.obtain_token, name="api-token"),
    path("auth/token/revoke", views.revoke_token, name="api-token-revoke"),
    path("jobs/<int:pk>", api_jobs.job_detail, name="api-job"),
    path("jobs/<int:pk>/file", api_jobs.job_file, name="api-job-file"),
]
