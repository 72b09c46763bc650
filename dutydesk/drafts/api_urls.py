from django.urls import path

from dutydesk.drafts import api

urlpatterns = [
    path("catalogs/drafts", api.draft_create, name="api-catalog-drafts"),
    path("catalogs/drafts/<int:pk>", api.draft_detail, name="api-catalog-draft"),
    path("catalogs/drafts/<int:pk>/publish", api.draft_publish, name="api-catalog-draft-publish"),
]
