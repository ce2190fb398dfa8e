"""Reads of the documents library: what the public may see, grouped as the page shows it."""

import itertools
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.lookups import StartsWith
from django.utils import timezone
from wagtail.models import CollectionViewRestriction

from .models import DocumentCategory, LibraryDocument


@dataclass(frozen=True)
class DocumentGroup:
    category: DocumentCategory | None
    documents: list[LibraryDocument]


def public_documents() -> QuerySet[LibraryDocument]:
    """Documents outside any private collection.

    A view restriction on a collection also covers its sub-collections (Wagtail checks the
    ancestors), hence the match on the tree path rather than on the collection itself.
    """
    restricted = CollectionViewRestriction.objects.filter(
        StartsWith(OuterRef("collection__path"), F("collection__path"))
    )
    return LibraryDocument.objects.exclude(Exists(restricted))


def library_documents(
    *,
    include_past: bool = False,
    category: DocumentCategory | None = None,
    today=None,
) -> QuerySet[LibraryDocument]:
    """Public documents, current ones only unless `include_past`, annotated with `is_past`.

    Ordered as the page lists them: categories in their editorial order (documents without
    a category last), then newest first.
    """
    today = today or timezone.localdate()
    documents = public_documents().select_related("category")
    if not include_past:
        documents = documents.current(today=today)
    if category is not None:
        documents = documents.filter(category=category)
    return documents.annotate(
        is_past=Case(
            When(Q(valid_until__lt=today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    ).order_by(
        F("category__sort_order").asc(nulls_last=True),
        F("category__name").asc(nulls_last=True),
        "-created_at",
        "-pk",
    )


def documents_by_category(**filters) -> list[DocumentGroup]:
    """The documents of `library_documents(**filters)` in one group per category (one query)."""
    return [
        DocumentGroup(category=category, documents=list(documents))
        for category, documents in itertools.groupby(
            library_documents(**filters), key=lambda document: document.category
        )
    ]
