"""Hub, enrolments and registrations; see reservations/urls.py."""

from django.urls import path

from . import requests_views as views

urlpatterns = [
    path("", views.hub, name="home"),
    path("registrations/", views.registrations, name="registrations"),
    path(
        "enrolments/<id:child_id>/<id:school_year_id>/",
        views.enrolment_submit,
        name="enrolment_submit",
    ),
    path("registrations/new/", views.registration_new, name="registration_new"),
    path(
        "registrations/<id:registration_id>/withdraw/",
        views.registration_withdraw,
        name="registration_withdraw",
    ),
]
