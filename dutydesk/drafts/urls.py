from django.urls import path

from dutydesk.drafts import views

app_name = "drafts"
urlpatterns = [
    path("org/drafts/", views.index, name="index"),
    path("org/drafts/<int:pk>/", views.review, name="review"),
    path("org/drafts/<int:pk>/items/<str:item>/edit", views.edit_item, name="edit"),
    path("org/drafts/<int:pk>/items/<str:item>/remove", views.remove_item, name="remove"),
    path("org/drafts/<int:pk>/publish", views.publish, name="publish"),
]
