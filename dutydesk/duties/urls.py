from django.urls import path

from dutydesk.duties import views

app_name = "duties"
urlpatterns = [
    path("duties/", views.inbox, name="inbox"),
    path("duties/team/", views.team, name="team"),
    path("duties/tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("duties/tasks/<int:pk>/complete", views.task_complete, name="task-complete"),
    path("duties/dashboard/", views.dashboard, name="dashboard"),
    path("duties/scorecards/", views.scorecard_page, name="scorecards"),
    path("duties/scores/values/", views.kpi_values, name="kpi-values"),
    path("duties/scores/deductions/", views.deductions, name="deductions"),
    path("duties/opinions/", views.opinions, name="opinions"),
    path("duties/surveys/", views.surveys, name="surveys"),
    path("duties/surveys/<int:pk>/", views.survey_detail, name="survey-detail"),
    path("duties/surveys/<int:pk>/print", views.survey_print, name="survey-print"),
    path("duties/surveys/<int:pk>/paper", views.survey_paper, name="survey-paper"),
    path("duties/surveys/<int:pk>/report", views.survey_report, name="survey-report"),
    path("duties/reports/monthly/", views.monthly_reports, name="monthly-reports"),
    path("duties/reports/monthly/<int:pk>/", views.monthly_report, name="monthly-report"),
    path("duties/reports/monthly/<int:pk>/<str:kind>", views.monthly_report_file, name="monthly-report-file"),
    path("portal/surveys/", views.portal_surveys, name="portal-surveys"),
    path("portal/surveys/<int:pk>/", views.portal_survey_answer, name="portal-survey"),
]
