"""« Régies »: the commune's collection accounts and the activities each one bills."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList

from core.staff import StaffModelAdmin
from reservations.models import Activity

from ..choices import PaymentMeans
from ..models import Regie
from ..services.regies import regie_activities_set
from .common import RegiePermissionHelper


class RegieForm(WagtailAdminModelForm):
    payment_means = forms.MultipleChoiceField(
        label=_("accepted means of payment"),
        choices=PaymentMeans.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    activities = forms.ModelMultipleChoiceField(
        label=_("activities billed"),
        queryset=Activity.objects.select_related("school_year").order_by(
            "-school_year__start_date", "name"
        ),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("An activity billed by another régie moves to this one."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["activities"].initial = list(
                self.instance.activity_links.values_list("activity_id", flat=True)
            )

    def save(self, commit=True):
        regie = super().save(commit=commit)
        if commit:
            regie_activities_set(regie=regie, activities=self.cleaned_data["activities"])
        return regie


class RegieAdmin(StaffModelAdmin):
    model = Regie
    menu_label = _("Régies")
    menu_icon = "site"
    list_display = ("name", "code", "regisseur_name", "minimum_amount", "due_days")
    search_fields = ("name", "code")
    permission_helper_class = RegiePermissionHelper
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("code"), FieldPanel("siret")]),
            FieldRowPanel([FieldPanel("regisseur_name"), FieldPanel("regisseur_title")]),
            MultiFieldPanel(
                [
                    FieldPanel("address_line"),
                    FieldPanel("address_complement"),
                    FieldRowPanel([FieldPanel("postal_code"), FieldPanel("city")]),
                    FieldPanel("counter_details"),
                ],
                heading=_("Address"),
            ),
            FieldPanel("public_accountant"),
            FieldPanel("court_name"),
            FieldRowPanel([FieldPanel("due_days"), FieldPanel("minimum_amount")]),
            FieldPanel("payment_means"),
            FieldRowPanel(
                [FieldPanel("invoice_number_format"), FieldPanel("credit_note_number_format")]
            ),
            FieldPanel("activities"),
        ],
        base_form_class=RegieForm,
    )
