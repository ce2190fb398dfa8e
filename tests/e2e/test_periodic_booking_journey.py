"""Guide 001, on a desktop, in Chromium against the live site: a periodic booking on odd
weeks, validated at once, and the alert of the order.

The records are created by the fixture, before Chromium starts (see `reservation_steps`).
"""

import datetime
import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from .reservation_steps import (
    UNIT,
    WEDNESDAY,
    choose_activity,
    choose_participants,
    enrol,
    family_with_children,
    french_count,
    go_to_basket,
    local_today,
    open_activity,
    open_hub,
    parent_logs_in,
    period,
    receipt_row,
    receipts_to,
    validate_basket,
)
from .test_family_journey import DESKTOP, french, new_page

pytestmark = pytest.mark.e2e


@pytest.fixture
def guide_001(portal_site):
    """A child registered to a Wednesday activity validated at once."""
    today = local_today()
    activity, group, days = open_activity(
        today=today, name="Mercredis loisirs", weekdays=[WEDNESDAY]
    )
    family, (child,) = family_with_children(
        email="paul.bernard@example.fr",
        name="BERNARD",
        children=[("Zoé", datetime.date(2017, 6, 2))],
    )
    enrol(family, child, activity, group)
    start = today + datetime.timedelta(days=1)
    end = start + datetime.timedelta(days=27)
    in_range = [day for day in days if start <= day <= end]
    return SimpleNamespace(
        site=portal_site,
        email="paul.bernard@example.fr",
        activity=activity.name,
        child=child.first_name,
        start=start,
        end=end,
        odd_weeks=[day for day in in_range if day.isocalendar().week % 2 == 1],
        even_weeks=[day for day in in_range if day.isocalendar().week % 2 == 0],
    )


# --- Guide 001 ------------------------------------------------------------------------------


def test_periodic_booking_on_odd_weeks_is_validated_at_once(guide_001, chromium):
    world, site = guide_001, guide_001.site
    assert world.odd_weeks and world.even_weeks  # four weeks: both kinds of weeks
    family = new_page(chromium, DESKTOP)

    parent_logs_in(family, site, world.email)
    open_hub(family).get_by_role("link", name=french("Book"), exact=True).click()
    choose_participants(family, [world.child])
    choose_activity(family, world.activity)

    # « Réservation périodique »: four weeks of Wednesdays, odd weeks only.
    periodic = family.get_by_role("region", name=french("Periodic booking"))
    periodic.get_by_label(french("Start date")).fill(world.start.isoformat())
    periodic.get_by_label(french("End date")).fill(world.end.isoformat())
    expect(
        periodic.get_by_role("group", name=french("Days of the week")).get_by_label(
            french("Wednesday")
        )
    ).to_be_checked()
    periodic.get_by_role("group", name=french("Week type")).get_by_label(
        french("Odd weeks")
    ).check()
    expect(
        periodic.get_by_role("group", name=french("Units")).get_by_role("checkbox")
    ).to_be_checked()
    periodic.get_by_role("button", name=french("Add these days to the basket")).click()
    expect(family.get_by_role("status")).to_contain_text(
        french_count(
            "%(count)s day added to your basket.",
            "%(count)s days added to your basket.",
            len(world.odd_weeks),
        )
    )

    # The basket holds exactly the Wednesdays of odd ISO weeks.
    go_to_basket(family, len(world.odd_weeks))
    lines = family.get_by_role("main").get_by_role("row").filter(has_text=UNIT)
    expect(lines).to_have_count(len(world.odd_weeks))
    for day in world.odd_weeks:
        expect(lines.filter(has_text=period(day))).to_have_count(1)
    for day in world.even_weeks:
        expect(lines.filter(has_text=period(day))).to_have_count(0)

    # « Valider »: validated at once.
    number = validate_basket(family)
    for day in world.odd_weeks:
        expect(receipt_row(family, world.child, day)).to_contain_text(french("Validated"))
    expect(family.get_by_role("main")).to_contain_text(french("Processed"))

    # « Alertes »: the order received.
    portal_menu = family.get_by_role("navigation", name=french("Family portal"))
    portal_menu.get_by_role("link", name=re.compile(re.escape(french("Alerts")))).click()
    expect(
        family.get_by_role("main").get_by_role(
            "heading",
            name=f"{french('new')} {french('Order no. %(number)s received', number=number)}",
            exact=True,
        )
    ).to_be_visible()
    family.context.close()

    assert len(receipts_to(world.email, number)) == 1
