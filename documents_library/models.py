"""Downloadable documents (tarifs, règlements, inscriptions, menus) and the page that lists them."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.documents.models import AbstractDocument, Document, DocumentQuerySet
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from cms.page_serving import OneQueryViewRestrictionsMixin


@register_snippet
class DocumentCategory(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("document category")
        verbose_name_plural = _("document categories")

    def __str__(self):
        return self.name


class LibraryDocumentQuerySet(DocumentQuerySet):
    def current(self, *, today=None):
        """Documents still valid: no end date, or an end date not yet passed."""
        today = today or timezone.localdate()
        return self.filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=today))

    def past(self, *, today=None):
        today = today or timezone.localdate()
        return self.filter(valid_until__lt=today)


class LibraryDocument(AbstractDocument):
    """A Wagtail document with the category and validity families look for."""

    category = models.ForeignKey(
        DocumentCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    description = models.TextField(_("description"), blank=True)
    validity_label = models.CharField(
        _("validity"),
        max_length=40,
        blank=True,
        help_text=_("Shown to families, e.g. “2025-2026”."),
    )
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
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
        from .forms import LibraryFilterForm
        from .selectors import documents_by_category

        context = super().get_context(request, *args, **kwargs)
        filter_form = LibraryFilterForm(request.GET)
        # An unknown category is reported next to its select; the other choices still apply.
        filter_form.is_valid()
        include_past = filter_form.cleaned_data.get("archives", False)
        context.update(
            {
                "filter_form": filter_form,
                "include_past": include_past,
                "document_groups": documents_by_category(
                    include_past=include_past,
                    category=filter_form.cleaned_data.get("categorie"),
                ),
            }
        )
        return context
