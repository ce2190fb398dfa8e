"""Forms of the "Nouveau dossier" page: guardians, address, children (1 to 6)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import check_upload
from core.validators import phone_validator, postal_code_validator
from core.widgets import CHOOSE, DateInput

from ..models import Child, DocumentType, Guardian

MAX_CHILDREN = 6
EMPTY_CHOICE = [("", CHOOSE)]


class GuardianForm(forms.Form):
    civility = forms.ChoiceField(
        label=_("Civility"), choices=EMPTY_CHOICE + list(Guardian.Civility.choices)
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    role = forms.ChoiceField(
        label=_("Relationship to the children"),
        choices=EMPTY_CHOICE + list(Guardian.Role.choices),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput({"autocomplete": "email", "autocapitalize": "none"}),
    )
    phone_mobile = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        validators=[phone_validator],
        widget=forms.TextInput({"type": "tel", "autocomplete": "tel"}),
    )


class PrimaryGuardianForm(GuardianForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _(
            "Your login. We will send the answer to your request to this address."
        )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class SecondGuardianForm(GuardianForm):
    """Optional: left blank, there is no second guardian; started, it must be complete."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.fields["email"].required = False
        # Leaving every field blank is allowed (empty_permitted), but a started form is checked.
        self.empty_permitted = True

    def cleaned_or_none(self):
        return self.cleaned_data if self.has_changed() else None


class AddressForm(forms.Form):
    address_line = forms.CharField(
        label=_("Address"),
        max_length=255,
        widget=forms.TextInput({"autocomplete": "street-address"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=5,
        validators=[postal_code_validator],
        widget=forms.TextInput({"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    city = forms.CharField(
        label=_("City"), max_length=120, widget=forms.TextInput({"autocomplete": "address-level2"})
    )


NOT_AT_SCHOOL = "none"
# The classes activities' groups choose from (Group.school_levels), "not at school" spelt out:
# its stored value is the empty string, which a select reads as "nothing chosen".
LEVEL_CHOICES = (
    EMPTY_CHOICE
    + [(level, label) for level, label in Child.SchoolLevel.choices if level]
    + [(NOT_AT_SCHOOL, Child.SchoolLevel.NONE.label)]
)
FILE_ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
FILE_HELP = _("PDF, JPEG or PNG, 6 MB at most. You may also send it later from the portal.")


def document_field_name(document_type) -> str:
    return f"document_{document_type.pk}"


def document_field(document_type) -> forms.FileField:
    return forms.FileField(
        label=document_type.name,
        required=False,
        help_text=document_type.description or FILE_HELP,
        widget=forms.FileInput(attrs={"accept": FILE_ACCEPT}),
    )


class DocumentFieldsMixin:
    """One optional file field per document type of `scope`, checked by content."""

    document_scope = None

    def add_document_fields(self, document_types) -> None:
        self.document_types = [t for t in document_types if t.scope == self.document_scope]
        for document_type in self.document_types:
            self.fields[document_field_name(document_type)] = document_field(document_type)

    def clean(self):
        cleaned = super().clean()
        for document_type in self.document_types:
            name = document_field_name(document_type)
            uploaded = cleaned.get(name)
            if uploaded:
                try:
                    check_upload(uploaded)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def documents(self) -> list[tuple[object, object]]:
        """(document type, uploaded file) for each file sent."""
        return [
            (document_type, self.cleaned_data[document_field_name(document_type)])
            for document_type in self.document_types
            if self.cleaned_data.get(document_field_name(document_type))
        ]


class ChildForm(DocumentFieldsMixin, forms.Form):
    document_scope = DocumentType.Scope.CHILD

    last_name = forms.CharField(label=_("Last name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput())
    sex = forms.ChoiceField(label=_("Sex"), choices=EMPTY_CHOICE + list(Child.Sex.choices))
    school_level = forms.ChoiceField(
        label=_("Class"),
        choices=LEVEL_CHOICES,
        help_text=_("The class at the start of the school year: it decides the groups."),
    )
    school = forms.CharField(label=_("School"), max_length=150, required=False)

    def __init__(self, *args, schools=(), document_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        if schools:
            self.fields["school"] = forms.ChoiceField(
                label=_("School"),
                required=False,
                choices=EMPTY_CHOICE + [(name, name) for name in schools],
            )
        self.add_document_fields(document_types)

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return birth_date

    def clean(self):
        cleaned = super().clean()
        level = cleaned.get("school_level")
        if level == NOT_AT_SCHOOL:
            cleaned["school_level"] = Child.SchoolLevel.NONE
        elif level and not cleaned.get("school"):
            self.add_error("school", _("Choose the school of this child."))
        return cleaned

    def child_data(self) -> dict:
        names = ("last_name", "first_name", "birth_date", "sex", "school", "school_level")
        return {name: self.cleaned_data[name] for name in names}


class FamilyDocumentsForm(DocumentFieldsMixin, forms.Form):
    document_scope = DocumentType.Scope.FAMILY

    def __init__(self, *args, document_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_document_fields(document_types)


class CertifyForm(forms.Form):
    certify = forms.BooleanField(
        label=_("I certify that the information above is accurate."),
        error_messages={"required": _("Tick this box to certify the information: it is required.")},
    )


class BaseChildFormSet(forms.BaseFormSet):
    def initial_form_count(self):
        # Every posted child form may be left blank (ignored), except the first (min_num).
        return 0 if self.is_bound else super().initial_form_count()

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not any(form.has_changed() for form in self.forms):
            raise forms.ValidationError(_("Add at least one child."), code="too_few_forms")

    def children(self) -> list[dict]:
        return [form.child_data() for form in self.forms if form.has_changed()]

    def documents(self) -> list[tuple[int, object, object]]:
        """(child's place in children(), document type, file) for each child's file."""
        kept = [form for form in self.forms if form.has_changed()]
        return [
            (index, document_type, uploaded)
            for index, form in enumerate(kept)
            for document_type, uploaded in form.documents()
        ]


def child_formset_class(*, extra: int = 0):
    return forms.formset_factory(
        ChildForm,
        formset=BaseChildFormSet,
        extra=extra,
        min_num=1,
        max_num=MAX_CHILDREN,
        validate_max=True,
        absolute_max=MAX_CHILDREN,
    )


class SignupForms:
    """The page's forms, checked together: the request is valid only if all are.

    `schools`: the commune's schools offered for each child (a text field when none is
    listed); `document_types`: the supporting documents that may be sent at once."""

    def __init__(self, data=None, files=None, *, extra_child=False, schools=(), document_types=()):
        self.schools = list(schools)
        self.document_types = list(document_types)
        if data is not None and extra_child:
            # "Add a child" without JavaScript: show what was typed, unchecked, plus one form
            # (files cannot be shown again: the browser asks for them anew).
            self._build(None, None, initial=self._typed(data), extra=1)
        else:
            self._build(data, files, initial=None, extra=0)

    def _build(self, data, files, *, initial, extra):
        initial = initial or {}
        self.primary = PrimaryGuardianForm(
            data, prefix="primary", initial=initial.get("primary"), use_required_attribute=False
        )
        self.second = SecondGuardianForm(data, prefix="second", initial=initial.get("second"))
        self.address = AddressForm(
            data, prefix="address", initial=initial.get("address"), use_required_attribute=False
        )
        self.children = child_formset_class(extra=extra)(
            data,
            files,
            prefix="children",
            initial=initial.get("children"),
            form_kwargs={"schools": self.schools, "document_types": self.document_types},
        )
        for form in self.children:
            form.use_required_attribute = False
        self.family_documents = FamilyDocumentsForm(
            data, files, prefix="documents", document_types=self.document_types
        )
        self.certify = CertifyForm(
            data, prefix="certify", initial=initial.get("certify"), use_required_attribute=False
        )

    def _typed(self, data) -> dict:
        bound = SignupForms(data, schools=self.schools, document_types=self.document_types)

        def values(form):
            return {name: form[name].value() for name in form.fields}

        typed_children = [values(form) for form in bound.children]
        return {
            "primary": values(bound.primary),
            "second": values(bound.second),
            "address": values(bound.address),
            "children": [child for child in typed_children if any(child.values())]
            or typed_children[:1],
            "certify": values(bound.certify),
        }

    @property
    def can_add_child(self) -> bool:
        return self.children.total_form_count() < MAX_CHILDREN

    def is_valid(self) -> bool:
        forms_ = (
            self.primary,
            self.second,
            self.address,
            self.children,
            self.family_documents,
            self.certify,
        )
        # Every form is checked, so that each shows its errors at once.
        results = [form.is_valid() for form in forms_]
        return all(results)

    def cleaned_request(self) -> dict:
        return {
            "primary_guardian": self.primary.cleaned_data,
            "second_guardian": self.second.cleaned_or_none(),
            "address": self.address.cleaned_data,
            "children": self.children.children(),
        }

    def documents(self) -> list[tuple[int | None, object, object]]:
        """(child's place or None for the family's, document type, file) for each file."""
        family = [(None, t, uploaded) for t, uploaded in self.family_documents.documents()]
        return family + self.children.documents()

    @property
    def email(self) -> str:
        return self.primary.cleaned_data["email"]
