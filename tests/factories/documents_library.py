import factory
from django.core.files.base import ContentFile

from documents_library.models import DocumentCategory, DocumentsLibraryPage, LibraryDocument

from .cms import PageFactory


class DocumentCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentCategory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Catégorie de documents {n}")
    slug = factory.Sequence(lambda n: f"documents-{n}")


class LibraryDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryDocument

    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.LazyAttribute(
        lambda o: ContentFile(b"%PDF-1.4\n%test document\n", name=f"{o.title}.pdf")
    )
    # As the admin's upload form does, so the library can show the size without touching files.
    file_size = factory.LazyAttribute(lambda o: o.file.size)
    category = factory.SubFactory(DocumentCategoryFactory)


class DocumentsLibraryPageFactory(PageFactory):
    class Meta:
        model = DocumentsLibraryPage

    title = "Documents à télécharger"
    # Not "documents": /documents/ is where Wagtail serves the files themselves.
    slug = "documents-a-telecharger"
