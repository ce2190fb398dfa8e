"""The payment simulator's pages, to mount at /paiement-simulateur/."""

from django.urls import path

from . import simulator_views

app_name = "payment_simulator"

urlpatterns = [
    path("payfip/", simulator_views.payfip, name="payfip"),
    path("systempay/", simulator_views.systempay, name="systempay"),
    path("systempay/paiement/", simulator_views.systempay_page, name="systempay_page"),
    path(
        "notifications-en-retard/",
        simulator_views.late_notifications,
        name="late_notifications",
    ),
]
