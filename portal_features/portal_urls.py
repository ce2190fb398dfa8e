"""The portal's screens, served below the PortalPage (mounted there by portal/routing.py;
PortalPage.route resolves them too when Wagtail's page tree is walked).

Every view that shows family data takes the family from `request.family`
(portal.family.family_required), never from the URL.
"""

from django.urls import include, path

from .portal.views import portal_home

urlpatterns = [
    path("", portal_home, name="home"),
    path("family/", include("portal_features.family_file.urls")),
    path("documents/", include("portal_features.documents.urls")),
    path("messages/", include("portal_features.messaging.urls")),
    path("alerts/", include("portal_features.alerts.urls")),
    path("my-account/", include("portal_features.accounts.portal_urls")),
    path("my-data/", include("portal_features.rgpd.urls")),
    path("reservations/", include("reservations.urls")),
    path("invoices/", include("invoicing.portal.urls")),
]
