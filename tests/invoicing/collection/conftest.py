"""A régie billing a périscolaire activity (Wednesdays, with meals) and a holiday activity
(with meals), and a family with a child of 4 and a child of 8, billed for November 2026 as
staff bill it (issued 3 December 2026, due 2 January 2027).

November's invoice, line by line:
  Léo (born 1 March 2022, 4): 4 Wednesdays 48.80 + 4 meals 16.00 + 1 holiday day 20.00
                              + 1 holiday meal 5.00
  Inès (born 1 May 2018, 8):  the same
  total 179.60
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from invoicing.models import Invoice, RegieActivity
from tests import factories

from ..conftest import IN_DECEMBER, NOV_WEDNESDAYS, NOVEMBER, make_billing
from ..ledger.conftest import bill, ledger  # noqa: F401 - the ledger's fixture, here too

PARIS = ZoneInfo("Europe/Paris")
HOLIDAY = datetime.date(2026, 11, 2)
# After November's run, before its due date.
AT_COUNTER = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=PARIS)


class Mixed:
    def __init__(self, *, regie_fields=None):
        self.billing = make_billing(
            payment_means=["cash", "cheque", "transfer", "cesu", "ancv"],
            **(regie_fields or {}),
        )
        billing = self.billing
        self.regie, self.staff = billing.regie, billing.staff
        billing.activity.calendar = "school_days"
        billing.activity.save(update_fields=["calendar"])
        billing.provider.meal_prices[billing.unit.pk] = Decimal("4.00")
        self.holiday_activity = factories.ActivityFactory(calendar="holidays")
        self.holiday_unit = factories.UnitFactory(
            activity=self.holiday_activity, price=Decimal("20.00")
        )
        self.holiday_group = factories.GroupFactory(activity=self.holiday_activity)
        RegieActivity.objects.create(activity=self.holiday_activity, regie=self.regie)
        billing.provider.meal_prices[self.holiday_unit.pk] = Decimal("5.00")

    def add_family(self, *, births=(datetime.date(2022, 3, 1), datetime.date(2018, 5, 1))):
        family = factories.FamilyFactory()
        factories.GuardianFactory(family=family)
        children = [
            factories.ChildFactory(family=family, first_name=name, birth_date=born)
            for name, born in zip(("Léo", "Inès", "Tom"), births, strict=False)
        ]
        return family, children

    def book_periscolaire(self, family, child, days=NOV_WEDNESDAYS):
        return self.billing.book_days(family, child, days)

    def book_holiday(self, family, child, day=HOLIDAY):
        from reservations.models import Reservation, Slot

        slot, _ = Slot.objects.get_or_create(
            unit=self.holiday_unit,
            group=self.holiday_group,
            day=day,
            defaults={"capacity": 30},
        )
        reservation = Reservation.objects.create(
            family=family,
            child=child,
            unit=self.holiday_unit,
            slot=slot,
            day=day,
            status="accepted",
            unit_price=self.holiday_unit.price,
        )
        self.billing.provider.bill(reservation)
        return reservation

    def bill(self, month=NOVEMBER, now=IN_DECEMBER):
        return bill(self.billing, month, now)


@pytest.fixture
def mixed(db):
    world = Mixed()
    family, children = world.add_family()
    for child in children:
        world.book_periscolaire(family, child)
        world.book_holiday(family, child)
    world.bill()
    world.family, world.children = family, children
    world.invoice = Invoice.objects.get(family=family, kind="invoice")
    return world
