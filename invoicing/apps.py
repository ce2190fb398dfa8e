from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "invoicing"
    verbose_name = _("Invoicing")

    def ready(self):
        from cms import staff_groups
        from portal_features.alerts.kinds import register_kinds
        from portal_features.families_admin.sections import register_file_section
        from portal_features.portal.attention import register_attention_provider
        from portal_features.portal.navigation import register_navigation_entry

        from .choices import AlertKind
        from .family_file import family_file_section
        from .payments import checks  # noqa: F401  (registers the payment settings checks)
        from .portal.attention import attention_items
        from .staff_permissions import ENFANCE_PERMISSIONS

        register_kinds(AlertKind)
        register_navigation_entry("invoicing:list", _("Invoices"), after="reservations:home")
        register_attention_provider(attention_items)
        register_file_section("invoicing/admin/family_file_section.html", family_file_section)
        staff_groups.grant(staff_groups.ENFANCE, *ENFANCE_PERMISSIONS)
