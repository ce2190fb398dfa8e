"""Forms of the calendar screens. They read input only; the services decide again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import check_upload

from ..models import Absence

COMMENT_MAX_LENGTH = 2000


class AbsenceForm(forms.Form):
    """An absence on a validated day, with a medical certificate when the family has one."""

    reason = forms.ChoiceField(
        label=_("Reason for the absence"),
        choices=Absence.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose the reason for the absence.")},
    )
    comment = forms.CharField(
        label=_("Comment for the service"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    certificate = forms.FileField(
        label=_("Medical certificate (optional)"),
        required=False,
        help_text=_(
            "PDF, JPEG or PNG, 6 MB at most. With a medical certificate, the day can be "
            "excused and not billed."
        ),
        widget=forms.FileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"}
        ),
    )

    def clean_certificate(self):
        uploaded = self.cleaned_data.get("certificate")
        if uploaded:
            check_upload(uploaded)  # a ValidationError in French, shown next to the field
        return uploaded or None


class CalendarFeedForm(forms.Form):
    """The two buttons of the feed settings: create (or renew) the address, or revoke it."""

    CREATE = "create"
    REVOKE = "revoke"

    action = forms.ChoiceField(choices=[(CREATE, CREATE), (REVOKE, REVOKE)])
