"""The planning offers no day the basket would refuse (a unit excluded by another booked
that day) and, after adding, brings the parent back to the unit with its message."""

import pytest

from reservations.services import basket as basket_services
from reservations.services.configuration import activity_slots_generate
from tests import factories

from ...conftest import NOW, WEDNESDAY
from .conftest import cell, planning_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def morning_and_day(world):
    """A « Matin » unit that cannot be booked on the same day as the « Journée »."""
    morning = factories.UnitFactory(activity=world.activity, name="Matin", sort_order=1)
    morning.excludes.add(world.unit)
    activity_slots_generate(activity_id=world.activity.pk)
    return morning


def _offered(response, unit) -> set[str]:
    (planning,) = [p for p in response.context["plannings"] if p.unit.pk == unit.pk]
    return {
        f"{child.pk}:{c.day:%Y-%m-%d}"
        for day in planning.days
        for child, c in day.cells
        if c.is_bookable
    }


def test_a_day_excluded_by_another_unit_booked_or_in_the_basket_is_not_offered(
    parent, world, url, morning_and_day
):
    morning = morning_and_day
    address = planning_url(url, world, "2026-11")
    before = parent.get(address)
    assert cell(world.child, WEDNESDAY) in _offered(before, morning)

    # The « Journée » of Wednesday in the basket: the « Matin » of that day is not offered,
    # with the basket's reason, and the service would refuse it too.
    basket_services.basket_add_bookings(
        family=world.family,
        child_id=world.child.pk,
        unit_id=world.unit.pk,
        days=[WEDNESDAY],
        user=None,
        now=NOW,
    )
    after = parent.get(address)
    assert cell(world.child, WEDNESDAY) not in _offered(after, morning)
    assert f'value="{morning.pk}:{cell(world.child, WEDNESDAY)}"' not in after.text
    assert "Matin" in after.text and "exclut" in after.text
    _added, refused = basket_services.basket_add_bookings(
        family=world.family,
        child_id=world.child.pk,
        unit_id=morning.pk,
        days=[WEDNESDAY],
        user=None,
        now=NOW,
    )
    assert WEDNESDAY in refused

    # Once validated, still not offered.
    basket_services.basket_submit(family=world.family, user=world.guardian.user, now=NOW)
    validated = parent.get(address)
    assert cell(world.child, WEDNESDAY) not in _offered(validated, morning)


def test_after_adding_the_message_is_shown_at_the_unit(parent, world, url):
    here = planning_url(url, world, "2026-11")
    response = parent.post(
        url("basket_add"),
        {"unit": world.unit.pk, "cell": [cell(world.child, WEDNESDAY)], "next": here},
    )
    assert response["Location"].endswith(f"&added={world.unit.pk}#added")
    page = parent.get(response["Location"])
    content = page.content.decode()
    unit_section = content[content.index(f'id="unit-{world.unit.pk}"') :]
    assert '<div class="messages" role="status" id="added" tabindex="-1">' in unit_section
    # Shown once, at the unit: not also at the top of the page.
    assert content.count('role="status"') == 1


def test_one_form_keeps_the_ticks_of_every_unit(parent, world, url):
    meal = factories.UnitFactory(activity=world.activity, name="Repas", sort_order=1)
    activity_slots_generate(activity_id=world.activity.pk)
    here = planning_url(url, world, "2026-11")
    page = parent.get(here).content.decode()
    # Every checkbox of every unit belongs to the one form of the page.
    for unit in (world.unit, meal):
        assert (
            f'form="one-off" name="ucell" value="{unit.pk}:{cell(world.child, WEDNESDAY)}"' in page
        )
    assert page.count('<form method="post" action="' + url("basket_add") + '" id="one-off">') == 1

    # Pressing the « Repas » button sends the « Journée » tick too, and comes back to « Repas ».
    response = parent.post(
        url("basket_add"),
        {
            "ucell": [
                f"{world.unit.pk}:{cell(world.child, WEDNESDAY)}",
                f"{meal.pk}:{cell(world.child, WEDNESDAY)}",
            ],
            "shown_unit": meal.pk,
            "next": here,
        },
    )
    assert response["Location"].endswith(f"&added={meal.pk}#added")
    assert set(world.family.basket_items.values_list("unit_id", flat=True)) == {
        world.unit.pk,
        meal.pk,
    }


def test_a_forged_unit_in_the_one_form_adds_nothing(parent, world, url):
    response = parent.post(
        url("basket_add"),
        {
            "ucell": [
                f"{world.unit.pk}:{cell(world.child, WEDNESDAY)}",
                f"999999:{cell(world.child, WEDNESDAY)}",
            ],
        },
    )
    assert response.status_code == 404
    assert not world.family.basket_items.exists()
