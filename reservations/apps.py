from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReservationsConfig(AppConfig):
    name = "reservations"
    verbose_name = _("Reservations")

    def ready(self):
        from cms import staff_groups
        from portal_features.alerts.kinds import register_kinds
        from portal_features.portal.attention import register_attention_provider
        from portal_features.rgpd import registry as rgpd_registry

        from . import rgpd
        from .attention import attention_items
        from .choices import AlertKind
        from .staff_permissions import ENFANCE_PERMISSIONS

        staff_groups.grant(staff_groups.ENFANCE, *ENFANCE_PERMISSIONS)
        register_attention_provider(attention_items)
        register_kinds(AlertKind)

        for key, builder in rgpd.EXPORT_SECTIONS.items():
            rgpd_registry.register_export_section(key, builder)
        rgpd_registry.register_activity_source(rgpd.last_activity)
        rgpd_registry.register_anonymiser(rgpd.anonymise)
