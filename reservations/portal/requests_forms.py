"""Forms of the enrolment and registration screens. They read input only: what may be sent
is decided again by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

COMMENT_MAX_LENGTH = 2000


class EnrolmentForm(forms.Form):
    """The family certifies its file for a child and a school year."""

    comment = forms.CharField(
        label=_("Comment for the service"),
        help_text=_("Optional: a change in your situation, a question, a custody arrangement…"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    certify = forms.BooleanField(
        label=_("I certify that the information in my family file is accurate"),
        required=True,
        error_messages={
            "required": _("Please tick this box to certify that your family file is accurate.")
        },
    )


class RegistrationCreateForm(forms.Form):
    """The child and the activity of one "Register" button (both hidden)."""

    child = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    activity = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
