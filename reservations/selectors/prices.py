"""« Simuler un prix »: what a unit costs a family for one of its children on a day, in a
situation (booked, present, billed absence…), with the reasons in words, as the basket
and invoicing would compute it."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal_features.models import ChildMembership

from .. import tariff_methods as methods
from ..errors import ReservationError
from ..pricing import PriceResult, prices_for

SITUATION_LABELS = {
    methods.BOOKED: gettext_lazy("Booked (what the basket shows)"),
    methods.PRESENT: gettext_lazy("Present"),
    methods.UNMARKED: gettext_lazy("Booked, attendance not marked"),
    methods.ABSENCE_BILLED: gettext_lazy("Billed absence"),
    methods.LATE_CANCELLATION: gettext_lazy("Late cancellation nobody took over"),
    methods.WALK_IN: gettext_lazy("Came without booking"),
}
KIND_LABELS = {
    methods.CHILDCARE: gettext_lazy("Childcare"),
    methods.MEAL: gettext_lazy("Meal"),
}


def price_simulation(
    *, family, child, unit, day: datetime.date, situation: str = methods.BOOKED
) -> list[PriceResult]:
    """The lines (childcare, then meal) the day would cost; ReservationError when the
    child is not one of the family's or the situation unknown."""
    if situation not in SITUATION_LABELS:
        raise ReservationError(_("Choose the situation of the day."))
    if not ChildMembership.objects.filter(family=family, child=child).exists():
        raise ReservationError(
            _("%(child)s is not a child of the family %(family)s.")
            % {"child": child, "family": family}
        )
    return prices_for(family=family, child=child, unit=unit, day=day, situation=situation)
