from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "invoicing"
    verbose_name = _("Invoicing")

    def ready(self):
        from cms import staff_groups
        from portal_features.alerts.kinds import register_kinds
        from portal_features.portal.attention import register_attention_provider
        from portal_features.portal.navigation import register_navigation_entry
        from portal_features.rgpd import registry as rgpd_registry

        from . import rgpd
        from .choices import AlertKind
        from .payments import checks  # noqa: F401  (registers the payment settings checks)
        from .portal.attention import attention_items
        from .staff_permissions import ENFANCE_PERMISSIONS

        register_kinds(AlertKind)
        register_navigation_entry("invoicing:list", _("Invoices"), after="reservations:home")
        register_attention_provider(attention_items)
        staff_groups.grant(staff_groups.ENFANCE, *ENFANCE_PERMISSIONS)

        for key, builder in rgpd.EXPORT_SECTIONS.items():
            rgpd_registry.register_export_section(key, builder)
        rgpd_registry.register_activity_source(rgpd.last_activity)
        rgpd_registry.register_anonymiser(rgpd.anonymise)
        rgpd_registry.register_anonymisation_blocker(rgpd.blocker)
