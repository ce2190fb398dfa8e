from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsLibraryConfig(AppConfig):
    name = "documents_library"
    verbose_name = _("Documents library")
