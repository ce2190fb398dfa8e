"""A small commune ready to book: one activity on Wednesdays with one unit and one group,
its opening days generated, and a family whose child is enrolled and registered."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from reservations.models import Slot
from reservations.services.configuration import activity_slots_generate
from tests import factories

PARIS = ZoneInfo("Europe/Paris")
# A Monday morning; the next Wednesdays are 25 Nov, 2, 9, 16 Dec 2026.
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
WEDNESDAY = datetime.date(2026, 11, 25)


@dataclass
class World:
    activity: object
    unit: object
    group: object
    family: object
    guardian: object
    child: object

    def slot(self, day=WEDNESDAY):
        return Slot.objects.get(unit=self.unit, group=self.group, day=day)

    def add_family(self, children=1):
        """Another family with `children` children enrolled and registered."""
        family = factories.FamilyFactory()
        guardian = factories.GuardianFactory(family=family)
        kids = []
        for _ in range(children):
            child = factories.ChildFactory(family=family)
            factories.EnrolmentFactory(
                family=family, child=child, school_year=self.activity.school_year
            )
            factories.RegistrationFactory(
                family=family, child=child, activity=self.activity, group=self.group
            )
            kids.append(child)
        return family, guardian, kids


def make_world(*, capacity=2, **activity_fields) -> World:
    activity = factories.ActivityFactory(**activity_fields)
    unit = factories.UnitFactory(activity=activity)
    group = factories.GroupFactory(activity=activity, capacity=capacity)
    activity_slots_generate(activity_id=activity.pk)
    world = World(activity, unit, group, None, None, None)
    family, guardian, (child,) = world.add_family()
    world.family, world.guardian, world.child = family, guardian, child
    return world


@pytest.fixture
def world(db) -> World:
    return make_world()
