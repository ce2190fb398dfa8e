"""The price shown in the basket for one unit on one day.

The unit's own price for now; invoicing's tariffs by QF bracket replace this one function.
"""

from decimal import Decimal

from portal_features.models import Family

from .models import Unit


def unit_price(*, family: Family, unit: Unit, day) -> Decimal:
    return unit.price
