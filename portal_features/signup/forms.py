"""Forms of the "Nouveau dossier" page: guardians, address, children (1 to 6)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import phone_validator, postal_code_validator
from core.widgets import CHOOSE, DateInput

from ..models import Child, Guardian

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


class ChildForm(forms.Form):
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput())
    sex = forms.ChoiceField(label=_("Sex"), choices=EMPTY_CHOICE + list(Child.Sex.choices))

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return birth_date


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
        return [form.cleaned_data for form in self.forms if form.has_changed()]


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
    """The page's four forms, checked together: the request is valid only if all are."""

    def __init__(self, data=None, *, extra_child: bool = False):
        if data is not None and extra_child:
            # "Add a child" without JavaScript: show what was typed, unchecked, plus one form.
            self._build(None, initial=self._typed(data), extra=1)
        else:
            self._build(data, initial=None, extra=0)

    def _build(self, data, *, initial, extra):
        initial = initial or {}
        self.primary = PrimaryGuardianForm(
            data, prefix="primary", initial=initial.get("primary"), use_required_attribute=False
        )
        self.second = SecondGuardianForm(data, prefix="second", initial=initial.get("second"))
        self.address = AddressForm(
            data, prefix="address", initial=initial.get("address"), use_required_attribute=False
        )
        self.children = child_formset_class(extra=extra)(
            data, prefix="children", initial=initial.get("children")
        )
        for form in self.children:
            form.use_required_attribute = False

    @staticmethod
    def _typed(data) -> dict:
        bound = SignupForms(data)

        def values(form):
            return {name: form[name].value() for name in form.fields}

        typed_children = [values(form) for form in bound.children]
        return {
            "primary": values(bound.primary),
            "second": values(bound.second),
            "address": values(bound.address),
            "children": [child for child in typed_children if any(child.values())]
            or typed_children[:1],
        }

    @property
    def can_add_child(self) -> bool:
        return self.children.total_form_count() < MAX_CHILDREN

    def is_valid(self) -> bool:
        results = [
            form.is_valid() for form in (self.primary, self.second, self.address, self.children)
        ]
        return all(results)

    def cleaned_request(self) -> dict:
        return {
            "primary_guardian": self.primary.cleaned_data,
            "second_guardian": self.second.cleaned_or_none(),
            "address": self.address.cleaned_data,
            "children": self.children.children(),
        }

    @property
    def email(self) -> str:
        return self.primary.cleaned_data["email"]
