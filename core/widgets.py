from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. It reads and writes ISO dates only, whatever the
    language's format: with the French "17/06/2026" its value would show empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
