from django.urls import path

from core.routes import object_paths

from . import views

app_name = "family_file"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("edit/", views.family_edit, name="family_edit"),
    path("quotient/", views.quotient_edit, name="quotient_edit"),
    path("guardians/<id:guardian_id>/edit/", views.guardian_edit, name="guardian_edit"),
    path("guardians/add/", views.guardian_add, name="guardian_add"),
    path("children/add/", views.child_add, name="child_add"),
    path("guardians/invite/", views.guardian_invite, name="guardian_invite"),
    *object_paths(
        "children",
        "child_id",
        ("", views.child_detail, "child_detail"),
        ("edit/", views.child_edit, "child_edit"),
        ("health/", views.health_edit, "health_edit"),
        ("vaccinations/add/", views.vaccination_add, "vaccination_add"),
        ("authorised-persons/add/", views.authorized_person_add, "authorized_person_add"),
        ("consents/", views.consents_edit, "consents_edit"),
    ),
    path(
        "authorised-persons/<id:person_id>/edit/",
        views.authorized_person_edit,
        name="authorized_person_edit",
    ),
    path("requests/", views.requests, name="requests"),
]
