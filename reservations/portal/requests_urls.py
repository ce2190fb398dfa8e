"""Hub, enrolments and registrations; see reservations/urls.py."""

from django.urls import path

from .stub import not_built

urlpatterns = [
    path("", not_built, name="home"),
    path("registrations/", not_built, name="registrations"),
    path(
        "enrolments/<int:child_id>/<int:school_year_id>/",
        not_built,
        name="enrolment_submit",
    ),
    path("registrations/new/", not_built, name="registration_new"),
    path(
        "registrations/<int:registration_id>/withdraw/",
        not_built,
        name="registration_withdraw",
    ),
]
