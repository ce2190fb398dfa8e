"""« Simuler un prix »: staff choose a family, a child, a unit, a day and a situation and
read the price and its reasons. A plain admin screen until the staff-screen kit offers
the tariffs' own; it reads through `selectors.prices`, decides nothing."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.bounds import parse_id, validate_date_in_window
from core.widgets import DateInput
from portal_features.models import Child, Family

from ..errors import ReservationError
from ..models import Unit
from ..selectors.prices import KIND_LABELS, SITUATION_LABELS, price_simulation

PERMISSION = "reservations.view_tariff"
URL_NAME = "reservations_price_simulation"


class SimulationForm(forms.Form):
    family = forms.ModelChoiceField(
        label=_("Family"), queryset=Family.objects.order_by("name", "number")
    )
    child = forms.ModelChoiceField(label=_("Child"), queryset=Child.objects.none())
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.select_related("activity").order_by("activity__name", "sort_order"),
    )
    day = forms.DateField(label=_("Day"), widget=DateInput(), validators=[validate_date_in_window])
    situation = forms.ChoiceField(label=_("Situation"), choices=list(SITUATION_LABELS.items()))

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        family_id = parse_id(self.data.get("family")) if self.is_bound else None
        if family_id is not None:
            self.fields["child"].queryset = Child.objects.filter(memberships__family_id=family_id)


def simulation_view(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    form = SimulationForm(request.GET or None)
    lines = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            results = price_simulation(**data)
        except ReservationError as error:
            form.add_error("child", error.message)
        else:
            lines = [
                {
                    "kind": KIND_LABELS[result.kind],
                    "amount": result.amount,
                    "explanation": result.explanation(),
                }
                for result in results
            ]
    return TemplateResponse(
        request,
        "reservations/admin/price_simulation.html",
        {"form": form, "lines": lines, "total": sum(line["amount"] for line in lines)},
    )


@hooks.register("register_admin_urls")
def register_price_simulation_url():
    return [path("reservations/prices/simulate/", simulation_view, name=URL_NAME)]


class SimulationMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_price_simulation_menu_item():
    return SimulationMenuItem(
        _("Simulate a price"),
        reverse(URL_NAME),
        name="price-simulation",
        icon_name="tag",
        order=217,
    )
