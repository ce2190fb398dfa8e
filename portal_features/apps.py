from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalFeaturesConfig(AppConfig):
    name = "portal_features"
    verbose_name = _("Family portal")

    def ready(self):
        from cms import staff_groups

        from .alerts.kinds import AlertKind, register_kinds
        from .staff_permissions import ENFANCE_PERMISSIONS

        staff_groups.grant(staff_groups.ENFANCE, *ENFANCE_PERMISSIONS)
        register_kinds(AlertKind)
