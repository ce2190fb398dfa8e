"""The family file's forms: what a family asks to change (staff then decide)."""

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import bound_date_fields
from core.validators import normalize_iban
from core.widgets import DateInput, label_empty_choices

from ..change_requests.services import CONSENT_PREFIX, EDITABLE_FIELDS
from ..models import (
    AuthorizedPerson,
    Child,
    DocumentType,
    Family,
    Guardian,
    HealthRecord,
    QuotientRecord,
    Vaccination,
)
from ..signup.forms import DocumentFieldsMixin


class ChangeForm(forms.ModelForm):
    """A model form whose cleaned values become a change request (the instance is a copy)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_date_fields(self)
        label_empty_choices(self)

    def new_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class FamilyForm(ChangeForm):
    class Meta:
        model = Family
        fields = EDITABLE_FIELDS[Family]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["iban"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["postal_code"].widget.attrs.update({"inputmode": "numeric"})

    def clean_iban(self):
        return normalize_iban(self.cleaned_data["iban"])

    def clean_bic(self):
        return self.cleaned_data["bic"].replace(" ", "").upper()


class QuotientForm(ChangeForm):
    """A new quotient familial, as the family's attestation states it. Built on a record
    without family: the overlap with the QF in force is no error here, accepting the
    request replaces it from its start date."""

    class Meta:
        model = QuotientRecord
        fields = EDITABLE_FIELDS[QuotientRecord]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}
        # « 612,50 » as people write it in French.
        localized_fields = ("value",)
        help_texts = {
            "valid_from": _("As written on your attestation."),
            "valid_until": _("Leave empty if your attestation gives no end date."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("instance", QuotientRecord())
        super().__init__(*args, **kwargs)
        self.fields["value"].widget.attrs.update({"inputmode": "decimal"})

    def clean(self):
        # Said next to the field, before the database's constraint would name itself.
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error(
                "valid_until",
                forms.ValidationError(
                    _("The end of the period must be after its start."), code="period_order"
                ),
            )
        return cleaned


PHONE_ATTRS = {"type": "tel", "autocomplete": "tel"}


def change_form(model, **widgets) -> type[ChangeForm]:
    """The change form of a model of the file: the fields a family may edit, with `widgets`."""
    return forms.modelform_factory(
        model, form=ChangeForm, fields=EDITABLE_FIELDS[model], widgets=widgets
    )


GuardianForm = change_form(
    Guardian,
    phone_mobile=forms.TextInput(PHONE_ATTRS),
    phone_home=forms.TextInput(PHONE_ATTRS),
    phone_work=forms.TextInput(PHONE_ATTRS),
)
HealthRecordForm = change_form(
    HealthRecord,
    allergies=forms.Textarea({"rows": 3}),
    pai_details=forms.Textarea({"rows": 3}),
    remarks=forms.Textarea({"rows": 3}),
    doctor_phone=forms.TextInput(PHONE_ATTRS),
)
AuthorizedPersonForm = change_form(AuthorizedPerson, phone=forms.TextInput(PHONE_ATTRS))


class ChildForm(ChangeForm):
    class Meta:
        model = Child
        fields = EDITABLE_FIELDS[Child]
        widgets = {"birth_date": DateInput()}

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date and birth_date > timezone.localdate():
            raise forms.ValidationError(
                _("The date of birth cannot be in the future."), code="future"
            )
        return birth_date


class NewChildForm(DocumentFieldsMixin, ChildForm):
    """« Ajouter un enfant »: the child, its supporting documents at once (checked as at
    sign-up) and, when the commune takes administrative files (`files`: their school years),
    the family's certification that sends the child's file with the request."""

    document_scope = DocumentType.Scope.CHILD

    def __init__(self, *args, document_types=(), files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_document_fields(document_types)
        if files:
            self.fields["certify"] = forms.BooleanField(
                label=_("I certify that the information in my family file is accurate"),
                help_text=_(
                    "Ticked, the administrative file %(years)s of this child is sent with "
                    "the request: the service validates it with the child."
                )
                % {"years": ", ".join(files)},
                required=False,
            )

    def request_extras(self) -> dict:
        """What the request carries besides the child's fields."""
        return {
            "documents": self.documents(),
            "certified": bool(self.cleaned_data.get("certify")),
        }


class VaccinationForm(ChangeForm):
    """A vaccination the child had: not in the future, not before the child's birth."""

    class Meta:
        model = Vaccination
        fields = EDITABLE_FIELDS[Vaccination]
        widgets = {"date": DateInput()}

    def __init__(self, *args, child=None, **kwargs):
        self.child = child
        super().__init__(*args, **kwargs)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date and date > timezone.localdate():
            raise forms.ValidationError(
                _("A vaccination date cannot be in the future."), code="future"
            )
        birth_date = getattr(self.child, "birth_date", None)
        if date and birth_date and date < birth_date:
            raise forms.ValidationError(
                _("A vaccination cannot be dated before the child's birth (%(birth_date)s)."),
                code="before_birth",
                params={"birth_date": formats.date_format(birth_date, "SHORT_DATE_FORMAT")},
            )
        return date


class ConsentsForm(forms.Form):
    """One box per active consent type; `consent_rows` are (type, granted) pairs."""

    def __init__(self, *args, consent_rows, **kwargs):
        super().__init__(*args, **kwargs)
        for consent_type, granted in consent_rows:
            self.fields[f"consent_{consent_type.pk}"] = forms.BooleanField(
                label=consent_type.name,
                help_text=consent_type.description,
                required=False,
                initial=granted,
            )

    def new_values(self) -> dict:
        return {
            CONSENT_PREFIX + name.removeprefix("consent_"): value
            for name, value in self.cleaned_data.items()
        }


class GuardianInviteForm(forms.Form):
    guardian = forms.ModelChoiceField(
        label=_("Guardian to invite"), queryset=Guardian.objects.none(), empty_label=None
    )
    email = forms.EmailField(
        label=_("Their e-mail address"),
        help_text=_("They receive a link to choose a password and log in to the same file."),
        widget=forms.EmailInput({"autocomplete": "off"}),
    )

    def __init__(self, *args, guardians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian"].queryset = guardians
