"""A régie billing one activity (Wednesdays of November 2026 and after), families with
their children booked, and the in-test provider of billable days and prices."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from invoicing.models import Regie, RegieActivity
from reservations.models import Reservation, Slot
from tests import factories

from .provider import Provider

PARIS = ZoneInfo("Europe/Paris")
NOVEMBER = datetime.date(2026, 11, 1)
DECEMBER = datetime.date(2026, 12, 1)
NOV_WEDNESDAYS = [datetime.date(2026, 11, d) for d in (4, 11, 18, 25)]
DEC_WEDNESDAYS = [datetime.date(2026, 12, d) for d in (2, 9, 16)]
# Finalised on the 3rd of the following month.
IN_DECEMBER = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=PARIS)
IN_JANUARY = datetime.datetime(2027, 1, 4, 9, 0, tzinfo=PARIS)
SIRET = "21440109300015"


def make_regie(code="ALSH", **fields) -> Regie:
    values = {
        "name": f"Régie {code}",
        "code": code,
        "siret": SIRET,
        "regisseur_name": "Paul Lenoir",
        "regisseur_title": "Régisseur titulaire",
        "address_line": "1 place de la Mairie",
        "postal_code": "45000",
        "city": "Montrivel-sur-Loire",
        "counter_details": "Mairie, service enfance, du lundi au vendredi de 8 h 30 à 12 h",
        "public_accountant": "Service de gestion comptable d'Orléans, 4 place du Martroi",
        "court_name": "Tribunal administratif d'Orléans",
        **fields,
    }
    return Regie.objects.create(**values)


@dataclass
class Billing:
    regie: Regie
    activity: object
    unit: object
    group: object
    staff: object
    provider: Provider
    families: list = field(default_factory=list)
    slots: dict = field(default_factory=dict)

    def add_family(self, *, children=1, name=None):
        family = factories.FamilyFactory(**({"name": name} if name else {}))
        factories.GuardianFactory(family=family)
        kids = [factories.ChildFactory(family=family) for _ in range(children)]
        self.families.append(family)
        return family, kids

    def slot(self, day):
        if day not in self.slots:
            self.slots[day] = Slot.objects.create(
                unit=self.unit, group=self.group, day=day, capacity=30
            )
        return self.slots[day]

    def book(self, family, child, day, *, situation="present", walk_in=False):
        reservation = Reservation.objects.create(
            family=family,
            child=child,
            unit=self.unit,
            slot=self.slot(day),
            day=day,
            status="accepted",
            unit_price=self.unit.price,
            walk_in=walk_in,
        )
        self.provider.bill(reservation, situation)
        return reservation

    def book_days(self, family, child, days):
        return [self.book(family, child, day) for day in days]


def make_billing(*, code="ALSH", price="12.20", **regie_fields) -> Billing:
    regie = make_regie(code=code, **regie_fields)
    activity = factories.ActivityFactory()
    unit = factories.UnitFactory(activity=activity, price=Decimal(price))
    group = factories.GroupFactory(activity=activity)
    RegieActivity.objects.create(activity=activity, regie=regie)
    staff = factories.UserFactory(is_staff=True)
    return Billing(regie, activity, unit, group, staff, Provider())


@pytest.fixture
def billing(db) -> Billing:
    return make_billing()
