from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Public site")

    def ready(self):
        from core.emails import email_context_provider_register

        from . import page_cache, staff_groups
        from .emails import commune_email_context

        page_cache.connect_purge_signals()
        email_context_provider_register(commune_email_context)
        post_migrate.connect(
            staff_groups.ensure_staff_groups_after_migrate, dispatch_uid="cms_staff_groups"
        )
