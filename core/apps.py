from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel: what every app of the portal stands on. It imports no other app of ours."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Kernel")

    def ready(self):
        from .bounds import IdConverter

        # Before any URLconf is read: every id in our addresses is an <id:…>.
        register_converter(IdConverter, "id")
