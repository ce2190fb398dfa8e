"""« Mon calendrier » on a phone, in Chromium against the live site: a family of three
children opens on this week, the legend at the top and the past days folded; one child at
a time; the month one link away, far taller; on a desktop no column of the month is cut off.

The records are created by the fixture, before Chromium starts (see `reservation_steps`).
"""

import datetime
import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from reservations.services import basket as basket_services

from .reservation_steps import (
    WEEKDAYS,
    calendar_views,
    day_label,
    enrol,
    family_with_children,
    local_today,
    open_activity,
    parent_logs_in,
)
from .test_family_journey import DESKTOP, PHONE, french, new_page

pytestmark = pytest.mark.e2e

PAGE_HEIGHT = "document.documentElement.scrollHeight"
# Each month table: wider than its frame means a column cut off (scrolled out of sight).
CUT_TABLES = """() => Array.from(document.querySelectorAll('.cal-table-wrap'))
  .filter((wrap) => wrap.scrollWidth > wrap.clientWidth + 1).length"""


@pytest.fixture
def three_children(portal_site):
    """Three children registered to a weekday activity, every open day of this month and
    the next booked (validated at once)."""
    today = local_today()
    activity, group, days = open_activity(
        today=today, name="Accueil périscolaire", weekdays=WEEKDAYS
    )
    family, children = family_with_children(
        email="sarah.leroy@example.fr",
        name="LEROY",
        children=[
            ("Lina", datetime.date(2016, 4, 2)),
            ("Emma", datetime.date(2018, 9, 14)),
            ("Noé", datetime.date(2020, 1, 30)),
        ],
    )
    guardian = family.guardians.get()
    month_end = (today.replace(day=1) + datetime.timedelta(days=62)).replace(day=1)
    wanted = [day for day in days if today < day < month_end]
    for child in children:
        enrol(family, child, activity, group)
        basket_services.basket_add_bookings(
            family=family,
            child_id=child.pk,
            unit_id=activity.units.get().pk,
            days=wanted,
            user=guardian.user,
        )
    basket_services.basket_submit(family=family, user=guardian.user)
    return SimpleNamespace(
        site=portal_site,
        email="sarah.leroy@example.fr",
        children=children,
        today=today,
        booked_this_month=[day for day in wanted if day.month == today.month],
        past_this_month=[day for day in days if day < today and day.month == today.month],
    )


def open_calendar(page, site) -> None:
    """« Mon calendrier » as its link in the portal's tabs opens it: no month, no week."""
    page.goto(site.portal_url + "reservations/calendar/")


def test_the_week_on_a_phone_and_the_month_on_a_desktop(three_children, chromium):
    world = three_children
    lina, emma, noe = world.children
    phone = new_page(chromium, PHONE, is_mobile=True, has_touch=True)
    parent_logs_in(phone, world.site, world.email)

    # 1. « Mon calendrier » on a phone opens on this week.
    open_calendar(phone, world.site)
    views = calendar_views(phone)
    expect(views.get_by_role("link", name=french("Week"), exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    main = phone.get_by_role("main")
    legend = main.locator("summary", has_text=french("Legend"))
    first_child = main.get_by_role("heading", level=3).first
    expect(legend).to_be_visible()
    assert legend.bounding_box()["y"] < first_child.bounding_box()["y"]
    for child in world.children:
        expect(main.get_by_role("region", name=str(child), exact=True)).to_be_visible()
    week_height = phone.evaluate(PAGE_HEIGHT)

    # 2. One child at a time: only Emma's week.
    phone.get_by_role("navigation", name=french("Children shown")).get_by_role(
        "link", name=emma.first_name, exact=True
    ).click()
    expect(phone).to_have_url(re.compile(rf"child={emma.pk}"))
    expect(main.get_by_role("region", name=str(emma), exact=True)).to_be_visible()
    expect(main.get_by_role("region", name=str(lina), exact=True)).to_have_count(0)
    emma_week_height = phone.evaluate(PAGE_HEIGHT)

    # 3. The month of the three children, one link away: the past days folded.
    phone.get_by_role("navigation", name=french("Children shown")).get_by_role(
        "link", name=french("All the children")
    ).click()
    calendar_views(phone).get_by_role("link", name=french("Month"), exact=True).click()
    expect(phone).to_have_url(re.compile(r"month=\d{4}-\d{2}"))
    noe_days = main.get_by_role("region", name=str(noe), exact=True)
    if world.booked_this_month:
        booked = noe_days.get_by_role("listitem").filter(
            has_text=day_label(world.booked_this_month[0])
        )
        expect(booked.first).to_contain_text(french("Validated"))
    if world.past_this_month:
        folded = noe_days.locator("details.cal-past")
        expect(folded.locator("summary")).to_be_visible()
        expect(folded.get_by_text(day_label(world.past_this_month[0]))).not_to_be_visible()
    month_height = phone.evaluate(PAGE_HEIGHT)
    print(
        f"\nPhone page heights: week {week_height} px, one child's week {emma_week_height} px, "
        f"month {month_height} px"
    )
    assert emma_week_height <= week_height
    assert week_height * 2 < month_height, (week_height, month_height)
    phone.context.close()

    # 4. On a desktop, the month table of each child fits: no column cut off.
    desktop = new_page(chromium, DESKTOP)
    parent_logs_in(desktop, world.site, world.email)
    open_calendar(desktop, world.site)
    expect(desktop).not_to_have_url(re.compile(r"week="))
    expect(desktop.locator("table.cal")).to_have_count(3)
    assert desktop.evaluate(CUT_TABLES) == 0
    desktop.context.close()
