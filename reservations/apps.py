from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReservationsConfig(AppConfig):
    name = "reservations"
    verbose_name = _("Reservations")

    def ready(self):
        from cms import staff_groups
        from portal_features.alerts.kinds import register_kinds
        from portal_features.families_admin.sections import register_file_section
        from portal_features.portal.attention import register_attention_provider

        from .attention import attention_items
        from .choices import AlertKind
        from .selectors.family_file import family_file_section
        from .staff_permissions import ENFANCE_PERMISSIONS

        staff_groups.grant(staff_groups.ENFANCE, *ENFANCE_PERMISSIONS)
        register_attention_provider(attention_items)
        register_kinds(AlertKind)
        register_file_section("reservations/admin/family_file_section.html", family_file_section)
