"""Staff forms of a family's file that are not the model's own edit form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import bound_date_fields
from core.widgets import DateInput

from ..members import CHILD_FIELDS, GUARDIAN_FIELDS
from ..models import Child, ChildMembership, Custody, Guardian, QuotientRecord
from ..models.families import WEEKDAY_NAMES


class StaffQuotientForm(forms.ModelForm):
    """A QF staff type from a document (source "staff"); it replaces the QF in force from
    its start date, as an accepted request does."""

    class Meta:
        model = QuotientRecord
        fields = ("value", "valid_from", "valid_until")
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}
        # « 612,50 » as people write it in French.
        localized_fields = ("value",)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("instance", QuotientRecord())
        super().__init__(*args, **kwargs)
        bound_date_fields(self)


class StaffChildForm(forms.ModelForm):
    """A child staff add to the family; `link_known` links the child another household
    already has (same name and birth date) instead of creating it twice."""

    link_known = forms.BooleanField(
        label=_("Link the child already known in another household"), required=False
    )

    class Meta:
        model = Child
        fields = CHILD_FIELDS
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("instance", Child())
        super().__init__(*args, **kwargs)
        bound_date_fields(self)


class StaffGuardianForm(forms.ModelForm):
    class Meta:
        model = Guardian
        fields = GUARDIAN_FIELDS

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("instance", Guardian())
        super().__init__(*args, **kwargs)


class CustodyForm(forms.Form):
    """One household's custody rhythm for a child."""

    custody = forms.ChoiceField(label=_("Custody rhythm"), choices=Custody.choices)
    custody_weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays with this household"),
        choices=list(enumerate(WEEKDAY_NAMES)),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for “given weekdays”."),
    )

    def __init__(self, *args, membership: ChildMembership, **kwargs):
        kwargs.setdefault(
            "initial",
            {"custody": membership.custody, "custody_weekdays": membership.custody_weekdays},
        )
        super().__init__(*args, **kwargs)
        self.membership = membership
