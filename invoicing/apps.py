from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "invoicing"
    verbose_name = _("Invoicing")

    def ready(self):
        from portal_features.app_kit import register_portal_app
        from portal_features.families_admin.sections import register_file_section
        from portal_features.portal.navigation import register_navigation_entry
        from portal_features.rgpd import registry as rgpd_registry

        from . import rgpd
        from .choices import AlertKind
        from .family_file import family_file_section
        from .payments import checks  # noqa: F401  (registers the payment settings checks)
        from .portal.attention import attention_items
        from .staff_permissions import ENFANCE_PERMISSIONS

        register_portal_app(AlertKind, ENFANCE_PERMISSIONS, attention_items=attention_items)
        register_navigation_entry("invoicing:list", _("Invoices"), after="reservations:home")
        register_file_section("invoicing/admin/family_file_section.html", family_file_section)

        for key, builder in rgpd.EXPORT_SECTIONS.items():
            rgpd_registry.register_export_section(key, builder)
        rgpd_registry.register_activity_source(rgpd.last_activity)
        rgpd_registry.register_anonymiser(rgpd.anonymise)
        rgpd_registry.register_anonymisation_blocker(rgpd.blocker)
