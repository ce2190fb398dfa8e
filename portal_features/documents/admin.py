"""Staff screens « Pièces justificatives »: the document types, and the documents families
sent, to read, download, validate (« Valide du … au … ») or refuse with a reason.

The documents are a queue of the staff-screen kit: the buttons call the same services as
the tests; no decision logic here.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import validate_date_in_window
from core.columns import related_column
from core.staff import (
    ModelAdminGroup,
    PrivateFile,
    Queue,
    StaffModelAdmin,
    calls,
    refuse_decision,
    related_filter,
    validate_decision,
)
from core.widgets import DateInput

from ..models import DocumentType, SupportingDocument
from .selectors import validity_text
from .services import (
    default_valid_until,
    supporting_document_refuse,
    supporting_document_validate,
)

TEMPLATES = "portal_features/documents/admin"
Status = SupportingDocument.Status


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


class BulkValidationForm(forms.Form):
    valid_from = forms.DateField(
        label=_("Valid from"),
        help_text=_("Each document is valid for its type's default validity from this day."),
        widget=DateInput(),
        validators=[validate_date_in_window],
        error_messages={"required": _("Give the date the documents are valid from.")},
    )


def validation_initial(document) -> dict:
    start = timezone.localdate()
    return {"valid_from": start, "valid_until": default_valid_until(document.document_type, start)}


# By type (Django's related-field filter needs django.contrib.admin, not installed).
DocumentTypeFilter = related_filter(
    _("type"), "document_type", "document_type_id", DocumentType.objects.all
)


class SupportingDocumentAdmin(Queue):
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
    filters = ("status", DocumentTypeFilter)
    search_fields = ("family__name", "family__number", "child__first_name", "child__last_name")
    ordering = ("uploaded_at",)
    inspect_template_name = f"{TEMPLATES}/inspect.html"
    item_template = f"{TEMPLATES}/_document.html"
    private_files = (PrivateFile("file"),)
    bulk_label = _("Decide several documents")
    bulk_empty_message = _("No document is awaiting validation.")
    bulk_items_field = "documents"
    bulk_ordering = ("uploaded_at", "pk")
    # A document decided meanwhile is no longer offered: the form refuses it.
    bulk_accepts_decided = False
    reason_required_message = _("Give the reason for the refusal; the family will read it.")
    decisions = (
        validate_decision(
            calls(supporting_document_validate, "document"),
            form=ValidationForm,
            bulk_form=BulkValidationForm,
            initial=validation_initial,
            title=_("Validate the document"),
            done=lambda document: (
                _("Document validated (%(validity)s); the family is told.")
                % {"validity": validity_text(document)}
            ),
            done_many=_("%(count)d document(s) decided; the families are told."),
        ),
        refuse_decision(
            calls(supporting_document_refuse, "document"),
            reason_help=_("The family reads it in its alerts and by e-mail."),
            title=_("Refuse the document"),
            done=_("Document refused; the family is told the reason."),
            done_many=_("%(count)d document(s) decided; the families are told."),
        ),
    )

    def with_related(self, queryset):
        return queryset.select_related("family", "child", "document_type")

    def label(self, document):
        return (
            f"{document.family.number} {document.family.name} – {document.document_type.name}"
            + (f" – {document.child.first_name}" if document.child else "")
            + f" – {document.original_name}"
        )

    def item_context(self, document, request):
        return {
            "document": document,
            "file_url": self.url_helper.get_action_url("file", document.pk),
        }

    def bulk_items_label(self):
        return _("Documents")

    def bulk_initial(self):
        return {"valid_from": timezone.localdate(), "decision": "validate"}

    family_number = related_column("family.number", _("Family number"))
    family_name = related_column("family.name", _("Family"))


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
