"""« Réserver les jours cochés » on « Mon calendrier », in Chromium against the live site:
with JavaScript the grid is updated in place (no page load: what the page set on `window`
is still there) and focus moves to the outcome; without JavaScript the same form posts,
and the calendar comes back with the outcome. Two children, next month's days.

The records are created by the fixture, before Chromium starts (see `reservation_steps`).
"""

import datetime
import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from .axe import violations_now
from .reservation_steps import (
    UNIT,
    WEEKDAYS,
    day_label,
    enrol,
    family_with_children,
    local_today,
    open_activity,
    parent_logs_in,
)
from .test_family_journey import DESKTOP, french, leading_text, new_page

pytestmark = pytest.mark.e2e

EMAIL = "ines.moreau@example.fr"
MARKER = "window.calendarPageMarker"


@pytest.fixture
def two_children(portal_site):
    """Two children registered to a weekday activity, nothing booked yet."""
    today = local_today()
    activity, group, days = open_activity(
        today=today, name="Accueil périscolaire", weekdays=WEEKDAYS
    )
    family, children = family_with_children(
        email=EMAIL,
        name="MOREAU",
        children=[("Inès", datetime.date(2016, 4, 2)), ("Jade", datetime.date(2018, 9, 14))],
    )
    for child in children:
        enrol(family, child, activity, group)
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return SimpleNamespace(
        site=portal_site,
        children=children,
        month=next_month,
        days=[day for day in days if (day.year, day.month) == (next_month.year, next_month.month)],
    )


def open_month(page, world) -> None:
    page.goto(world.site.portal_url + f"reservations/calendar/?month={world.month:%Y-%m}")


def tick(page, child, day: datetime.date) -> None:
    """The day's box in the child's table (the phone list's box is not shown on a desktop)."""
    page.get_by_role("region", name=str(child), exact=True).get_by_role(
        "checkbox", name=french("Book %(unit)s, %(day)s", unit=UNIT, day=day_label(day))
    ).check()


def validated(page, child, day: datetime.date):
    """The child's cell of `day` once validated: a link to the reservation."""
    return page.get_by_role("region", name=str(child), exact=True).get_by_role(
        "link", name=f"{french('Validated')} – {UNIT}, {day_label(day)}"
    )


def test_booking_ticked_days_with_and_without_javascript(two_children, chromium):
    world = two_children
    ines, jade = world.children
    first, second, third = world.days[:3]
    order = re.compile(
        re.escape(
            leading_text("Your order no. %(number)s is registered. A receipt is sent by e-mail.")
        )
        + r"\d{4}-\d{5}"
    )

    # 1. With JavaScript: the grid answers in place, the page stays the same page.
    page = new_page(chromium, DESKTOP)
    parent_logs_in(page, world.site, EMAIL)
    open_month(page, world)
    page.evaluate(f"{MARKER} = 'still here'")
    tick(page, ines, first)
    tick(page, jade, second)
    button = page.get_by_role("button", name=french("Book the ticked days"))
    button.click()
    outcome = page.locator("[data-cal-outcome]")
    expect(outcome).to_contain_text(order)
    expect(outcome).to_be_focused()
    expect(validated(page, ines, first)).to_be_visible()
    expect(validated(page, jade, second)).to_be_visible()
    expect(button).to_be_enabled()
    assert page.evaluate(MARKER) == "still here"
    assert violations_now(page) == []
    page.context.close()

    # 2. Without JavaScript: the same form posts, the same month comes back with the outcome.
    plain = new_page(chromium, DESKTOP, java_script_enabled=False)
    parent_logs_in(plain, world.site, EMAIL)
    open_month(plain, world)
    expect(validated(plain, ines, first)).to_be_visible()
    tick(plain, jade, third)
    plain.get_by_role("button", name=french("Book the ticked days")).click()
    expect(plain).to_have_url(re.compile(rf"[?&]month={world.month:%Y-%m}"))
    expect(plain.locator(".messages").first).to_contain_text(order)
    expect(validated(plain, jade, third)).to_be_visible()
    plain.context.close()
