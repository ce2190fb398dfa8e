"""The upload form of the checklist: what the document is (type, and child) and the file."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.uploads import check_upload

from ..models import DocumentType
from .selectors import slot_key


def slot_choices(document_types, children) -> list[tuple[str, str]]:
    """One choice per type for the family, one per type and child for the children's."""
    choices = []
    for document_type in document_types:
        if document_type.scope == DocumentType.Scope.FAMILY:
            choices.append((slot_key(document_type.pk, None), document_type.name))
        else:
            choices.extend(
                (slot_key(document_type.pk, child.pk), f"{document_type.name} – {child.first_name}")
                for child in children
            )
    return choices


class DocumentUploadForm(forms.Form):
    slot = forms.ChoiceField(label=_("Document"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, 6 MB at most. A photo taken with your phone will do."),
        widget=forms.FileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"}
        ),
    )

    def __init__(self, *args, document_types, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.document_types = {document_type.pk: document_type for document_type in document_types}
        self.children = {child.pk: child for child in children}
        self.fields["slot"].choices = [("", gettext("Choose…"))] + slot_choices(
            document_types, children
        )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        check_upload(uploaded)  # a ValidationError in French, shown next to the field
        return uploaded

    def clean_slot(self):
        value = self.cleaned_data["slot"]
        type_id, _separator, child_id = value.partition(":")
        try:
            document_type = self.document_types[int(type_id)]
            child = self.children[int(child_id)] if child_id else None
        except (KeyError, ValueError) as error:
            raise ValidationError(gettext("Choose a document from the list.")) from error
        self.document_type, self.child = document_type, child
        return value
