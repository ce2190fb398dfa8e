from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReservationsConfig(AppConfig):
    name = "reservations"
    verbose_name = _("Reservations")

    def ready(self):
        from portal_features.app_kit import register_portal_app
        from portal_features.signup.hooks import register_signup_accepted

        from .attention import attention_items
        from .choices import AlertKind
        from .signup import enrolments_for_new_family
        from .staff_permissions import ENFANCE_PERMISSIONS

        register_portal_app(AlertKind, ENFANCE_PERMISSIONS, attention_items=attention_items)
        register_signup_accepted(enrolments_for_new_family)
