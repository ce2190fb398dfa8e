from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The browser's date picker. It reads and writes ISO dates only, whatever the
    language's format: with the French "17/06/2026" its value would show empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


# The first option of a list where nothing is chosen yet (Django writes « --------- »).
CHOOSE = _("— Choose —")
DASHES = "---------"


def label_empty_choices(form) -> None:
    """Give the empty option of every drop-down list of `form` the words « — Choisir — »."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DASHES:
                field.empty_label = CHOOSE
        elif isinstance(field, forms.ChoiceField) and isinstance(field.widget, forms.Select):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None) and choices[0][1] == DASHES:
                field.choices = [("", CHOOSE), *choices[1:]]
