"""Downloadable documents (tarifs, règlements, inscriptions, menus) and the page that lists them."""

import itertools
from dataclasses import dataclass

from django.db import models
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.lookups import StartsWith
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.documents.models import AbstractDocument, Document, DocumentQuerySet
from wagtail.models import CollectionViewRestriction, Page
from wagtail.snippets.models import register_snippet

from cms.page_serving import OneQueryViewRestrictionsMixin
from core.fields import optional_date, optional_link, sort_order_field

from .forms import LibraryFilterForm


@register_snippet
class DocumentCategory(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    sort_order = sort_order_field()

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("document category")
        verbose_name_plural = _("document categories")

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class DocumentGroup:
    category: "DocumentCategory | None"
    documents: list


class LibraryDocumentQuerySet(DocumentQuerySet):
    """The library's reads live here, beside the documents they read, so that the library
    page (below) needs nothing from the modules above the models."""

    def public(self):
        """Documents outside any private collection.

        A view restriction on a collection also covers its sub-collections (Wagtail checks
        the ancestors), hence the match on the tree path rather than on the collection itself.
        """
        restricted = CollectionViewRestriction.objects.filter(
            StartsWith(OuterRef("collection__path"), F("collection__path"))
        )
        return self.exclude(Exists(restricted))

    def for_library(self, *, include_past: bool = False, category=None, today=None):
        """Public documents, current ones only unless `include_past`, annotated with
        `is_past`. Ordered as the page lists them: categories in their editorial order
        (documents without a category last), then newest first."""
        today = today or timezone.localdate()
        documents = self.public().select_related("category")
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

    def by_category(self, **filters) -> list[DocumentGroup]:
        """The documents of `for_library(**filters)` in one group per category (one query)."""
        return [
            DocumentGroup(category=category, documents=list(documents))
            for category, documents in itertools.groupby(
                self.for_library(**filters), key=lambda document: document.category
            )
        ]

    def current(self, *, today=None):
        """Documents still valid: no end date, or an end date not yet passed."""
        today = today or timezone.localdate()
        return self.filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=today))

    def past(self, *, today=None):
        today = today or timezone.localdate()
        return self.filter(valid_until__lt=today)


class LibraryDocument(AbstractDocument):
    """A Wagtail document with the category and validity families look for."""

    category = optional_link(DocumentCategory, _("category"), related_name="documents")
    description = models.TextField(_("description"), blank=True)
    validity_label = models.CharField(
        _("validity"),
        max_length=40,
        blank=True,
        help_text=_("Shown to families, e.g. “2025-2026”."),
    )
    valid_until = optional_date(
        _("valid until"),
        help_text=_("After this date the document is listed with past documents only."),
    )

    admin_form_fields = Document.admin_form_fields + (
        "category",
        "description",
        "validity_label",
        "valid_until",
    )

    objects = LibraryDocumentQuerySet.as_manager()

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")


class DocumentsLibraryPage(OneQueryViewRestrictionsMixin, Page):
    """The library ("Documents à télécharger"), by category; past documents on request."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = []
    # LibraryFilterForm's fields; the anonymous page cache keys on these alone.
    reads_query_params = ("archives", "categorie")

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("documents library")
        verbose_name_plural = _("documents libraries")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filter_form = LibraryFilterForm(request.GET, categories=DocumentCategory.objects.all())
        # An unknown category is reported next to its select; the other choices still apply.
        filter_form.is_valid()
        include_past = filter_form.cleaned_data.get("archives", False)
        context.update(
            {
                "filter_form": filter_form,
                "include_past": include_past,
                "document_groups": LibraryDocument.objects.by_category(
                    include_past=include_past,
                    category=filter_form.cleaned_data.get("categorie"),
                ),
            }
        )
        return context
