from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "invoicing"
    verbose_name = _("Invoicing")

    def ready(self):
        from cms import staff_groups

        from .payments import checks  # noqa: F401  (registers the payment settings checks)
        from .staff_permissions import ENFANCE_PERMISSIONS

        staff_groups.grant(staff_groups.ENFANCE, *ENFANCE_PERMISSIONS)
