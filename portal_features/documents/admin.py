"""Staff screens « Pièces justificatives »: the document types, and the documents families
sent, to read, download, validate (« Valide du … au … ») or refuse with a reason.

The buttons call the same services as the tests; no decision logic here.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import re_path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdminGroup
from wagtail_modeladmin.views import InspectView

from core.bounds import IdMultipleChoiceField, parse_id, validate_date_in_window
from core.storage import private_file_response
from core.widgets import DateInput

from .. import admin_bulk
from ..admin_base import StaffModelAdmin
from ..admin_review import (
    DecisionAdminMixin,
    DecisionView,
    ReviewButtonHelper,
    ReviewPermissionHelper,
    refusal_form,
)
from ..models import DocumentType, SupportingDocument
from .selectors import validity_text
from .services import (
    default_valid_until,
    supporting_document_refuse,
    supporting_document_validate,
)


class SupportingDocumentButtonHelper(ReviewButtonHelper):
    decisions = [
        ("validate", _("Validate"), []),
        ("refuse", _("Refuse"), ["button-secondary", "no"]),
    ]


TEMPLATES = "portal_features/documents/admin"
Status = SupportingDocument.Status


def _file_url(view) -> str:
    return view.url_helper.get_action_url("file", view.pk_quoted)


class SupportingDocumentInspectView(InspectView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(file_url=_file_url(self), **kwargs)


class ValidationForm(forms.Form):
    valid_from = forms.DateField(
        label=_("Valid from"), widget=DateInput(), validators=[validate_date_in_window]
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        help_text=_("Leave empty for a document without an end date."),
        widget=DateInput(),
        validators=[validate_date_in_window],
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end of validity is before its start."))
        return cleaned


class DocumentDecisionView(DecisionView):
    """Base of the Validate and Refuse screens: they show the document and its file."""

    def decision_context(self):
        return {"document": self.instance, "file_url": _file_url(self)}


class ValidateView(DocumentDecisionView):
    page_title = _("Validate the document")
    template_name = f"{TEMPLATES}/validate.html"
    form_class = ValidationForm

    def initial(self):
        start = timezone.localdate()
        return {
            "valid_from": start,
            "valid_until": default_valid_until(self.instance.document_type, start),
        }

    def decide(self, data):
        document = supporting_document_validate(
            document=self.instance,
            actor=self.request.user,
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
        )
        return _("Document validated (%(validity)s); the family is told.") % {
            "validity": validity_text(document)
        }


class RefuseView(DocumentDecisionView):
    page_title = _("Refuse the document")
    template_name = f"{TEMPLATES}/refuse.html"
    form_class = refusal_form(_("The family reads it in its alerts and by e-mail."))

    def decide(self, data):
        supporting_document_refuse(
            document=self.instance, actor=self.request.user, reason=data["reason"]
        )
        return _("Document refused; the family is told the reason.")


class DocumentTypeFilter(admin.SimpleListFilter):
    """By type (Django's related-field filter needs django.contrib.admin, not installed)."""

    title = _("type")
    parameter_name = "document_type"

    def lookups(self, request, model_admin):
        return [
            (document_type.pk, document_type.name) for document_type in DocumentType.objects.all()
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(document_type_id=parse_id(self.value()))
        return queryset


class BulkDecisionForm(admin_bulk.BulkDecisionForm):
    VALIDATE = "validate"
    items_field = "documents"
    reason_required_message = _("Give the reason for the refusal; the family will read it.")

    documents = IdMultipleChoiceField(
        label=_("Documents"),
        queryset=SupportingDocument.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(VALIDATE, _("Validate")), (admin_bulk.BulkDecisionForm.REFUSE, _("Refuse"))],
        widget=forms.RadioSelect,
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        help_text=_("Each document is valid for its type's default validity from this day."),
        widget=DateInput(),
        validators=[validate_date_in_window],
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.VALIDATE and not cleaned.get("valid_from"):
            self.add_error("valid_from", _("Give the date the documents are valid from."))
        return cleaned


class BulkDecisionView(admin_bulk.BulkDecisionView):
    """Validate or refuse several pending documents at once, each through its service."""

    page_title = _("Decide several documents")
    form_class = BulkDecisionForm
    template_name = f"{TEMPLATES}/bulk.html"

    def pending(self):
        return (
            SupportingDocument.objects.filter(status=Status.PENDING)
            .select_related("family", "child", "document_type")
            .order_by("uploaded_at", "pk")
        )

    def label(self, document):
        return (
            f"{document.family.number} {document.family.name} – {document.document_type.name}"
            + (f" – {document.child.first_name}" if document.child else "")
            + f" – {document.original_name}"
        )

    def initial(self):
        return {"valid_from": timezone.localdate(), "decision": BulkDecisionForm.VALIDATE}

    def decide(self, document, data):
        if data["decision"] == BulkDecisionForm.VALIDATE:
            supporting_document_validate(
                document=document, actor=self.request.user, valid_from=data["valid_from"]
            )
        else:
            supporting_document_refuse(
                document=document, actor=self.request.user, reason=data["reason"]
            )

    def summary(self, data, count):
        return _("%(count)d document(s) decided; the families are told.") % {"count": count}


class SupportingDocumentAdmin(DecisionAdminMixin, StaffModelAdmin):
    model = SupportingDocument
    menu_label = _("Documents to check")
    menu_icon = "doc-full"
    menu_order = 100
    list_display = (
        "uploaded_at",
        "family_number",
        "family_name",
        "child",
        "document_type",
        "status",
    )
    list_filter = ("status", DocumentTypeFilter)
    search_fields = ("family__name", "family__number", "child__first_name", "child__last_name")
    ordering = ("uploaded_at",)
    index_view_class = admin_bulk.BulkIndexView
    index_template_name = f"{TEMPLATES}/index.html"
    inspect_view_enabled = True
    inspect_view_class = SupportingDocumentInspectView
    inspect_template_name = f"{TEMPLATES}/inspect.html"
    history_view_enabled = False
    permission_helper_class = ReviewPermissionHelper
    button_helper_class = SupportingDocumentButtonHelper
    decision_views = (("validate", ValidateView), ("refuse", RefuseView))
    bulk_view_class = BulkDecisionView

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("family", "child", "document_type")

    @staticmethod
    def family_number(obj):
        return obj.family.number

    family_number.short_description = _("Family number")

    @staticmethod
    def family_name(obj):
        return obj.family.name

    family_name.short_description = _("Family")

    def file_view(self, request, instance_pk):
        """The document's file, for staff who may see documents; never a public address."""
        if not self.permission_helper.user_has_any_permissions(request.user):
            raise PermissionDenied
        document = get_object_or_404(SupportingDocument, pk=instance_pk)
        return private_file_response(document)

    def extra_admin_urls(self):
        return (
            *super().extra_admin_urls(),
            re_path(
                self.url_helper.get_action_url_pattern("file"),
                self.file_view,
                name=self.url_helper.get_action_url_name("file"),
            ),
        )


class DocumentTypeAdmin(StaffModelAdmin):
    model = DocumentType
    menu_label = _("Document types")
    menu_icon = "list-ul"
    menu_order = 200
    list_display = ("name", "scope", "is_required", "default_validity_days", "sort_order")
    list_filter = ("scope", "is_required")
    search_fields = ("name",)


class SupportingDocumentsAdminGroup(ModelAdminGroup):
    menu_label = _("Supporting documents")
    menu_icon = "doc-full-inverse"
    menu_order = 230
    items = (SupportingDocumentAdmin, DocumentTypeAdmin)
