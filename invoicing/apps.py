from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "invoicing"
    verbose_name = _("Invoicing")

    def ready(self):
        from portal_features.alerts.kinds import register_kinds

        from .choices import AlertKind
        from .payments import checks  # noqa: F401  (registers the payment settings checks)

        register_kinds(AlertKind)
