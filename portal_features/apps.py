from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalFeaturesConfig(AppConfig):
    name = "portal_features"
    verbose_name = _("Family portal")

    def ready(self):
        from .alerts.kinds import AlertKind
        from .app_kit import register_portal_app
        from .staff_permissions import ENFANCE_PERMISSIONS

        register_portal_app(AlertKind, ENFANCE_PERMISSIONS)
