from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsLibraryConfig(AppConfig):
    name = "documents_library"
    verbose_name = _("Documents library")

    def ready(self):
        from cms.home_sections import PORTAL_HOME
        from cms.public_categories import register_public_listing

        from .home_section import latest_documents_section
        from .models import DocumentCategory

        # The library page groups its documents by category.
        register_public_listing(
            DocumentCategory,
            "documents_library/includes/portal_home_section.html",
            latest_documents_section,
            places=(PORTAL_HOME,),
            order=70,
        )
