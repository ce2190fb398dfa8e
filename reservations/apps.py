from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReservationsConfig(AppConfig):
    name = "reservations"
    verbose_name = _("Reservations")

    def ready(self):
        from cms.home_sections import PORTAL_HOME, register_home_section
        from cms.page_cache import register_purging_model
        from portal_features.app_kit import register_portal_app
        from portal_features.change_requests.hooks import register_new_child
        from portal_features.families_admin.sections import register_file_section
        from portal_features.rgpd import registry as rgpd_registry
        from portal_features.signup.hooks import register_signup_accepted

        from . import rgpd
        from .attention import attention_items
        from .choices import AlertKind
        from .models import CalendarSettings
        from .portal.home_sections import next_days_section, pending_section
        from .selectors.family_file import family_file_section
        from .signup import enrolments_for_new_child, enrolments_for_new_family, new_child_files
        from .staff_permissions import ENFANCE_PERMISSIONS

        register_portal_app(AlertKind, ENFANCE_PERMISSIONS, attention_items=attention_items)
        # The holidays it sets are read until the purge (opening.commune_holiday_check).
        register_purging_model(CalendarSettings)
        register_signup_accepted(enrolments_for_new_family)
        register_new_child(files=new_child_files, accepted=enrolments_for_new_child)
        for order, template, section in (
            (10, "reservations/portal/home/next_days.html", next_days_section),
            (20, "reservations/portal/home/pending.html", pending_section),
        ):
            register_home_section(template, section, places=(PORTAL_HOME,), order=order)
        register_file_section("reservations/admin/family_file_section.html", family_file_section)

        for key, builder in rgpd.EXPORT_SECTIONS.items():
            rgpd_registry.register_export_section(key, builder)
        rgpd_registry.register_activity_source(rgpd.last_activity)
        rgpd_registry.register_anonymiser(rgpd.anonymise)
