from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Public site")

    def ready(self):
        from . import page_cache, staff_groups

        page_cache.connect_purge_signals()
        post_migrate.connect(
            staff_groups.ensure_staff_groups_after_migrate, dispatch_uid="cms_staff_groups"
        )
