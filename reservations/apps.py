from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReservationsConfig(AppConfig):
    name = "reservations"
    verbose_name = _("Reservations")

    def ready(self):
        from portal_features.app_kit import register_portal_app

        from .attention import attention_items
        from .choices import AlertKind
        from .staff_permissions import ENFANCE_PERMISSIONS

        register_portal_app(AlertKind, ENFANCE_PERMISSIONS, attention_items=attention_items)
