"""The portal home's "Documents to download" section, registered with cms.home_sections:
the newest public documents of the library, with the way to all of them."""

from cms.selectors import site_sections

from .models import DocumentsLibraryPage, LibraryDocument

DOCUMENTS_ON_HOME = 4


def latest_documents_section(home_page, request) -> dict | None:
    """The newest current public documents (one query) and the library page; None without
    documents."""
    documents = list(
        LibraryDocument.objects.public()
        .current()
        .select_related("category")
        .order_by("-created_at", "-pk")[:DOCUMENTS_ON_HOME]
    )
    if not documents:
        return None
    library = next(
        (
            section
            for section in site_sections(request)
            if section.specific_class is DocumentsLibraryPage
        ),
        None,
    )
    return {"documents": documents, "library": library}
