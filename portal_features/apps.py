from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalFeaturesConfig(AppConfig):
    name = "portal_features"
    verbose_name = _("Family portal")
