from django.urls import path

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
    path("children/<id:child_id>/", views.child_detail, name="child_detail"),
    path("children/<id:child_id>/edit/", views.child_edit, name="child_edit"),
    path("children/<id:child_id>/health/", views.health_edit, name="health_edit"),
    path(
        "children/<id:child_id>/vaccinations/add/",
        views.vaccination_add,
        name="vaccination_add",
    ),
    path(
        "children/<id:child_id>/authorised-persons/add/",
        views.authorized_person_add,
        name="authorized_person_add",
    ),
    path(
        "authorised-persons/<id:person_id>/edit/",
        views.authorized_person_edit,
        name="authorized_person_edit",
    ),
    path("children/<id:child_id>/consents/", views.consents_edit, name="consents_edit"),
    path("requests/", views.requests, name="requests"),
]
