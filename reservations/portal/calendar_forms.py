"""Forms of the calendar screens. They read input only; the services decide again."""

from django import forms
from django.utils.formats import date_format
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


class AbsencesForm(AbsenceForm):
    """One declaration for several days and units (several children too), with one
    certificate for them all. Only the days an absence can be declared on are offered."""

    reservations = forms.TypedMultipleChoiceField(
        label=_("Days of absence"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one day.")},
    )
    field_order = ["reservations", "reason", "comment", "certificate"]

    def __init__(self, *args, reservations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reservations"].choices = [
            (
                reservation.pk,
                f"{reservation.child.first_name} – {date_format(reservation.day, 'l j F')} – "
                f"{reservation.unit.activity.name} – {reservation.unit.name}",
            )
            for reservation in reservations
        ]


class CertificateForm(forms.Form):
    """A medical certificate added after the absence was declared."""

    certificate = forms.FileField(
        label=_("Medical certificate"),
        help_text=_("PDF, JPEG or PNG, 6 MB at most."),
        error_messages={"required": _("Choose the file of the medical certificate.")},
        widget=forms.FileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"}
        ),
    )

    def clean_certificate(self):
        uploaded = self.cleaned_data["certificate"]
        check_upload(uploaded)
        return uploaded


class CalendarFeedForm(forms.Form):
    """The two buttons of the feed settings: create (or renew) the address, or revoke it."""

    CREATE = "create"
    REVOKE = "revoke"

    action = forms.ChoiceField(choices=[(CREATE, CREATE), (REVOKE, REVOKE)])
