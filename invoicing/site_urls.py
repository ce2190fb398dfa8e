"""invoicing's addresses at the site's root, outside the portal page: the providers'
notification and the payment simulator. cms mounts them through the `register_site_urls`
hook (`wagtail_hooks.py`), since cms imports nothing from the floors above it."""

from django.urls import include, path

from . import notifications

urlpatterns = [
    path("paiement-simulateur/", include("invoicing.payments.simulator_urls")),
    path(
        "paiement/notification/<slug:provider>/",
        notifications.payment_notification,
        name="payment_notification",
    ),
]
