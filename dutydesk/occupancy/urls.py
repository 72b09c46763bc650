from django.urls import path

from dutydesk.occupancy import views

app_name = "occupancy"
urlpatterns = [
    path("occupancy/move-ins/", views.checklists, {"kind": "move-in"}, name="move-ins"),
    path("occupancy/move-ins/<int:pk>/", views.checklist, {"kind": "move-in"}, name="move-in"),
    path("occupancy/move-ins/<int:pk>/steps/<slug:code>/done", views.step_done, {"kind": "move-in"},
         name="move-in-step"),
    path("occupancy/move-ins/<int:pk>/form.pdf", views.move_in_form, name="move-in-form"),
    path("occupancy/move-outs/", views.checklists, {"kind": "move-out"}, name="move-outs"),
    path("occupancy/move-outs/<int:pk>/", views.checklist, {"kind": "move-out"}, name="move-out"),
    path("occupancy/move-outs/<int:pk>/steps/<slug:code>/done", views.step_done, {"kind": "move-out"},
         name="move-out-step"),
    path("occupancy/renovations/", views.renovations, name="renovations"),
    path("occupancy/renovations/<int:pk>/", views.renovation, name="renovation"),
    path("occupancy/renovations/<int:pk>/<slug:name>", views.renovation_act, name="renovation-act"),
    path("occupancy/options/residents/", views.resident_options, name="resident-options"),
    path("occupancy/options/units/", views.unit_options, name="unit-options"),
]
