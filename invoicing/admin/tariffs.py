"""« Tarifs »: the dated tariff rules of each unit with their method, their QF brackets and
sibling reductions, next to « Simuler un prix » (reservations' screen) in the menu.

The tariffs belong to the catalogue (reservations) and are priced there; invoicing shows
them with the régies because that is where the régisseur looks for them."""

from django.utils.translation import gettext_lazy as _

from core.columns import choice_label_column
from core.staff import InspectView, StaffModelAdmin, related_filter
from reservations.models import Activity, SiblingReduction, Tariff, TariffBracket

from .common import TEMPLATES


def activity_filter(lookup: str):
    return related_filter(
        _("activity"),
        "activity",
        lookup,
        lambda: Activity.objects.select_related("school_year").order_by(
            "-school_year__start_date", "name"
        ),
    )


class TariffInspectView(InspectView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(
            brackets=list(self.instance.brackets.order_by("qf_min")),
            reductions=list(self.instance.sibling_reductions.order_by("position")),
            **kwargs,
        )


class TariffAdmin(StaffModelAdmin):
    model = Tariff
    menu_label = _("Tariffs")
    menu_icon = "tag"
    list_display = ("unit", "charge", "residence", "method", "valid_from", "valid_until")
    list_filter = (activity_filter("unit__activity_id"), "kind", "method", "residence")
    list_select_related = ("unit__activity",)
    ordering = ("unit__activity__name", "unit__sort_order", "kind", "-valid_from")
    inspect_view_enabled = True
    inspect_view_class = TariffInspectView
    inspect_template_name = f"{TEMPLATES}/tariff_inspect.html"

    charge = choice_label_column("kind", _("Charge"))


class TariffBracketAdmin(StaffModelAdmin):
    model = TariffBracket
    menu_label = _("QF brackets")
    menu_icon = "list-ol"
    list_display = ("tariff", "qf_min", "qf_max", "amount", "rate")
    list_filter = (activity_filter("tariff__unit__activity_id"),)
    list_select_related = ("tariff__unit__activity",)
    ordering = ("tariff_id", "qf_min")


class SiblingReductionAdmin(StaffModelAdmin):
    model = SiblingReduction
    menu_label = _("Sibling reductions")
    menu_icon = "group"
    list_display = ("tariff", "position", "percent")
    list_filter = (activity_filter("tariff__unit__activity_id"),)
    list_select_related = ("tariff__unit__activity",)
    ordering = ("tariff_id", "position")
