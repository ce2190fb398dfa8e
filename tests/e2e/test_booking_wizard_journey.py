"""Guide 000, on a phone, in Chromium against the live site: the booking wizard for two
children (participants → activities → planning → summary), « Valider », the receipt and its
e-mail; staff accept one day and refuse another with a reason; the family sees it in
« Mon calendrier », then cancels the validated day through the basket.

The records are created by the fixture, before Chromium starts (see `reservation_steps`).
"""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils.formats import date_format
from playwright.sync_api import expect

from reservations.admin.queues import BookingRequestQueue, queue_url
from reservations.choices import ValidationMode

from .clicks import Clicks
from .reservation_steps import (
    PRICE,
    REFUSAL_REASON,
    UNIT,
    WEEKDAYS,
    calendar_day,
    calendar_views,
    choose_activity,
    choose_participants,
    enrol,
    euros,
    expect_step,
    family_with_children,
    first_month_with,
    french_count,
    go_to_basket,
    in_french,
    local_today,
    open_activity,
    open_hub,
    parent_logs_in,
    period,
    receipt_row,
    receipts_to,
    staff_log_in,
    tick,
    validate_basket,
)
from .test_family_journey import DESKTOP, PHONE, french, leading_text, new_page

pytestmark = pytest.mark.e2e


@pytest.fixture
def guide_000(portal_site):
    """Two children registered to an activity whose bookings staff validate."""
    today = local_today()
    activity, group, days = open_activity(
        today=today,
        name="Accueil de loisirs – Journées",
        weekdays=WEEKDAYS,
        booking_validation=ValidationMode.STAFF,
        cancellation_validation=ValidationMode.AUTOMATIC,
    )
    family, children = family_with_children(
        email="claire.martin@example.fr",
        name="MARTIN",
        children=[("Lina", datetime.date(2018, 3, 9)), ("Hugo", datetime.date(2019, 10, 21))],
    )
    for child in children:
        enrol(family, child, activity, group)
    future = [day for day in days if day > today]
    booked = first_month_with(future, 2)
    return SimpleNamespace(
        site=portal_site,
        email="claire.martin@example.fr",
        activity=activity.name,
        children=[child.first_name for child in children],
        full_names={child.first_name: str(child) for child in children},
        days=booked,
        # The planning opens on the month of the first bookable day, the calendar on today's.
        planning_next=booked[0].month != future[0].month,
        calendar_next=booked[0].month != today.month,
    )


# --- Guide 000 ------------------------------------------------------------------------------


def test_two_children_booked_validated_by_staff_then_a_day_cancelled(guide_000, chromium):
    world, site = guide_000, guide_000.site
    lina, hugo = world.children
    first_day, second_day = world.days
    family = new_page(chromium, PHONE, is_mobile=True, has_touch=True)
    staff = new_page(chromium, DESKTOP)

    # 1. Portal menu → « Inscriptions et réservations » → « Réserver ».
    parent_logs_in(family, site, world.email)
    open_hub(family).get_by_role("link", name=french("Book"), exact=True).click()

    # 2. The wizard: both children, their common activity, two days each.
    choose_participants(family, [lina, hugo])
    choose_activity(family, world.activity)
    if world.planning_next:
        family.get_by_role("link", name=re.compile(f"^{re.escape(french('Next month:'))}")).click()
    expect(
        family.get_by_role("heading", level=3, name=in_french(date_format, first_day, "F Y"))
    ).to_be_visible()
    for first_name in (lina, hugo):
        for day in world.days:
            tick(family, first_name, day)
    family.get_by_role("button", name=f"{french('Add to basket')} – {UNIT}").click()
    expect(family.get_by_role("status")).to_contain_text(
        french_count(
            "%(count)s day added to your basket.", "%(count)s days added to your basket.", 4
        )
    )

    # 3. « Résumé »: each child's lines at 12,20 €, and the total.
    go_to_basket(family, 4)
    for first_name in (lina, hugo):
        section = family.get_by_role("region", name=world.full_names[first_name])
        rows = section.get_by_role("row").filter(has_text=UNIT)
        expect(rows).to_have_count(2)
        for day in world.days:
            row = rows.filter(has_text=period(day))
            expect(row).to_contain_text(euros(PRICE))
            expect(row).to_contain_text(french("Booking"))
    expect(family.get_by_role("main")).to_contain_text(
        re.compile(re.escape(leading_text("Total: %(total)s")) + euros(4 * PRICE).pattern)
    )

    # 4. « Valider »: the receipt, every line awaiting the service's validation.
    booking_order = validate_basket(family)
    expect(family.get_by_role("main")).to_contain_text(french("Awaiting validation"))
    for first_name in (lina, hugo):
        for day in world.days:
            expect(receipt_row(family, first_name, day)).to_contain_text(
                french("Awaiting validation")
            )

    # 5. « Mon calendrier »: the four days await validation.
    family.get_by_role("navigation", name=french("Reservations")).get_by_role(
        "link", name=french("My calendar")
    ).click()
    # A phone opens this week; the month is one link away.
    calendar_views(family).get_by_role("link", name=french("Month"), exact=True).click()
    if world.calendar_next:
        family.get_by_role("link", name=re.compile(re.escape(f"({french('next month')})"))).click()
    for first_name in (lina, hugo):
        for day in world.days:
            expect(calendar_day(family, world.full_names[first_name], day)).to_contain_text(
                french("Awaiting validation")
            )

    # 6. Staff accept Lina's first day and refuse her second one, with the reason.
    staff_log_in(staff, site)
    queue = site.url + queue_url(BookingRequestQueue)

    def request_row(day):
        return (
            staff.get_by_role("row")
            .filter(has_text=world.full_names[lina])
            .filter(has_text=re.compile(rf"(?<!\d){re.escape(in_french(date_format, day))}"))
        )

    staff.goto(queue)
    expect(staff.get_by_role("row").filter(has_text=world.activity)).to_have_count(4)
    request_row(first_day).get_by_role("link", name=french("Accept"), exact=True).click()
    staff.get_by_role("button", name=french("Accept"), exact=True).click()
    expect(staff.locator(".messages")).to_contain_text(french("Booking validated."))
    request_row(second_day).get_by_role("link", name=french("Refuse"), exact=True).click()
    staff.get_by_label(french("Reason for refusal")).fill(REFUSAL_REASON)
    staff.get_by_role("button", name=french("Refuse"), exact=True).click()
    expect(staff.locator(".messages")).to_contain_text(
        french("Booking refused; its place goes to the waiting list.")
    )
    expect(staff.get_by_role("row").filter(has_text=world.activity)).to_have_count(2)

    # 7. The family reloads its calendar: one day validated, the refused one free again.
    family.reload()
    lina_first = calendar_day(family, world.full_names[lina], first_day)
    expect(lina_first).to_contain_text(french("Validated"))
    expect(calendar_day(family, world.full_names[lina], second_day)).to_contain_text(
        french("Available")
    )
    for day in world.days:
        expect(calendar_day(family, world.full_names[hugo], day)).to_contain_text(
            french("Awaiting validation")
        )

    # 8. The validated day → « Annuler »: the cancellation goes to the basket, then
    #    « Valider »; the activity cancels at once, so the day is free again.
    #    Clicks as in test_way_in_journey.py: the calendar is two from the portal's home
    #    (the tab, « Mon calendrier »), as in the absence journey.
    click = Clicks()
    click.add(2)
    click(lina_first.get_by_role("link", name=french("Validated")))
    expect(family.get_by_role("heading", level=1)).to_contain_text(lina)
    click(family.get_by_role("button", name=french("Cancel this day")))
    expect_step(family, "Summary")
    cancellation = family.get_by_role("row").filter(has_text=period(first_day))
    expect(cancellation).to_contain_text(french("Cancellation"))
    cancellation_order = validate_basket(family)
    click.add()  # « Valider »
    print(f"\nCancel a day: {click.count} clicks")
    assert click.count == 5
    line = receipt_row(family, lina, first_day)
    expect(line).to_contain_text(french("Cancellation"))
    expect(line).to_contain_text(french("Cancelled"))
    family.get_by_role("navigation", name=french("Reservations")).get_by_role(
        "link", name=french("My calendar")
    ).click()
    # A phone opens this week; the month is one link away.
    calendar_views(family).get_by_role("link", name=french("Month"), exact=True).click()
    if world.calendar_next:
        family.get_by_role("link", name=re.compile(re.escape(f"({french('next month')})"))).click()
    expect(calendar_day(family, world.full_names[lina], first_day)).to_contain_text(
        french("Available")
    )
    family.context.close()
    staff.context.close()

    # The e-mails: both receipts, and the refusal with its reason.
    assert len(receipts_to(world.email, booking_order)) == 1
    assert len(receipts_to(world.email, cancellation_order)) == 1
    refusals = [
        message
        for message in mail.outbox
        if world.email in message.to and REFUSAL_REASON in message.body
    ]
    assert len(refusals) == 1
