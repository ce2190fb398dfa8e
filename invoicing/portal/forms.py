from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import period_check, validate_date_in_window
from core.widgets import DateInput


class AttestationForm(forms.Form):
    """Which child and which period. The child is checked against the family by the
    attestation itself (another family's child is a 404, as everywhere in the portal)."""

    child = forms.TypedChoiceField(label=_("Child"), coerce=int)
    start = forms.DateField(
        label=_("From"), widget=DateInput(), validators=[validate_date_in_window]
    )
    end = forms.DateField(label=_("To"), widget=DateInput(), validators=[validate_date_in_window])

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [(child.pk, child.first_name) for child in children]

    def clean_child(self):
        return self.cleaned_data["child"]

    def clean(self):
        cleaned = super().clean()
        period_check(
            self,
            backwards=_("The end of the period comes before its start."),
            longest=731,
            too_long=_("Choose a period of two years at most."),
        )
        return cleaned


class MandateForm(forms.Form):
    """What the family gives to ask for direct debit; the IBAN and BIC are checked by the
    service (`mandate_request`), which also refuses a second mandate for the same régie."""

    regie = forms.TypedChoiceField(label=_("Régie"), coerce=int)
    account_holder = forms.CharField(label=_("Account holder"), max_length=70)
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=42,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    bic = forms.CharField(
        label=_("BIC"),
        max_length=11,
        required=False,
        help_text=_("Optional for a French account."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, regies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regie"].choices = [(regie.pk, regie.name) for regie in regies]
