"""Guide 004, on a phone, in Chromium against the live site: a child registers to an
activity (« ouvrir une ligne d'activité »), books a day allowed by the "before the 20th of
the previous month" rule and gets the receipt; a brother without his vaccinations sees
« Que manque-t-il ? ».

The records are created by the fixture, before Chromium starts (see `reservation_steps`).
"""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from reservations.eligibility import booking_window_reason
from reservations.models import ReservationRule
from reservations.opening import commune_holiday_check
from tests import factories

from .clicks import Clicks
from .reservation_steps import (
    PRICE,
    UNIT,
    WEEKDAYS,
    choose_activity,
    choose_participants,
    day_label,
    enrol,
    euros,
    family_with_children,
    go_to_basket,
    in_french,
    local_today,
    open_activity,
    open_hub,
    parent_logs_in,
    period,
    receipt_row,
    receipts_to,
    tick,
    validate_basket,
)
from .test_family_journey import PHONE, french, leading_text, new_page

pytestmark = pytest.mark.e2e


@pytest.fixture
def guide_004(portal_site):
    """Lina has her administrative file validated and her vaccinations, but no activity
    yet; her brother Noé's vaccinations are missing. Bookings close on the 20th of the
    previous month."""
    today = local_today()
    rule = ReservationRule.objects.create(
        name="Avant le 20 du mois précédent",
        booking_deadline={"kind": "day_of_previous_month", "day_of_month": 20, "at": "23:59"},
    )
    activity, _group, days = open_activity(
        today=today, name="ALAE restauration", weekdays=WEEKDAYS, rule=rule
    )
    family, (lina, noe) = family_with_children(
        email="sarah.petit@example.fr",
        name="PETIT",
        children=[("Lina", datetime.date(2018, 1, 15)), ("Noé", datetime.date(2020, 4, 3))],
    )
    enrol(family, lina, activity)
    enrol(family, noe, activity)
    factories.SupportingDocumentFactory(
        family=family,
        child=lina,
        document_type=portal_site.document_type,
        status="valid",
        valid_from=today - datetime.timedelta(days=30),
        valid_until=today + datetime.timedelta(days=335),
    )
    now, is_holiday = timezone.now(), commune_holiday_check()
    bookable = next(
        day for day in days if booking_window_reason(activity, day, now, is_holiday) is None
    )
    # The rule closes a whole month at once: a later day of the month before is too late
    # (none when today is that month's last open day).
    too_late = [day for day in days if today < day < bookable]
    return SimpleNamespace(
        site=portal_site,
        email="sarah.petit@example.fr",
        activity=activity.name,
        lina=lina.first_name,
        lina_full=str(lina),
        noe_full=str(noe),
        document=f"{portal_site.document_type.name} – {noe.first_name}",
        day=bookable,
        too_late=too_late[-1] if too_late else None,
    )


# --- Guide 004 ------------------------------------------------------------------------------


def test_registration_then_booking_and_what_is_missing(guide_004, chromium):
    world, site = guide_004, guide_004.site
    family = new_page(chromium, PHONE, is_mobile=True, has_touch=True)
    lina = world.lina

    # « Nouvelle inscription » for Lina: the activity opens at once.
    parent_logs_in(family, site, world.email)
    click = Clicks()
    click.add()  # the portal's tab (open_hub)
    click(open_hub(family).get_by_role("link", name=french("New registration")))
    click.check(family.get_by_label(world.lina_full, exact=True))
    click(family.get_by_role("button", name=french("Show the activities")))
    activity = family.get_by_role("listitem").filter(
        has=family.get_by_role("heading", name=world.activity, exact=True)
    )
    expect(activity).to_contain_text(french("validated at once"))
    click(activity.get_by_role("button", name=re.compile(f"^{re.escape(french('Register'))}")))
    expect(family.get_by_role("status")).to_contain_text(
        french(
            "%(child)s is registered to %(activity)s: the registration is validated.",
            child=lina,
            activity=world.activity,
        )
    )
    expect(activity).to_contain_text(french("Already registered:"))
    expect(activity).to_contain_text(french("Validated"))
    registration_clicks, click.count = click.count, 0

    # Then a day, within the "before the 20th of the previous month" rule.
    click(activity.get_by_role("link", name=french("Book days")))
    choose_participants(family, [lina])
    choose_activity(family, world.activity)
    click.add(4)  # a box and « Suivant » in each of the two steps
    expect(
        family.get_by_role("heading", level=3, name=in_french(date_format, world.day, "F Y"))
    ).to_be_visible()
    if world.too_late:
        family.get_by_role("link", name=re.compile(re.escape(french("Previous month:")))).click()
        late = family.get_by_role("row").filter(has_text=day_label(world.too_late))
        expect(late).to_contain_text(french("Past the deadline"))
        expect(late).to_contain_text(leading_text("The booking deadline was %(date)s."))
        expect(late.get_by_role("checkbox")).to_have_count(0)
        family.get_by_role("link", name=re.compile(f"^{re.escape(french('Next month:'))}")).click()
    tick(family, lina, world.day)
    click.add()  # the day's box
    click(family.get_by_role("button", name=f"{french('Add to basket')} – {UNIT}"))
    go_to_basket(family, 1)
    line = family.get_by_role("row").filter(has_text=period(world.day))
    expect(line).to_contain_text(euros(PRICE))
    number = validate_basket(family)
    click.add(2)  # « Mon panier », « Valider »
    expect(receipt_row(family, lina, world.day)).to_contain_text(french("Validated"))
    print(f"\nRegistration: {registration_clicks} clicks; one day booked: {click.count} clicks")
    assert (registration_clicks, click.count) == (5, 9)
    expect(family.get_by_role("main")).to_contain_text(euros(PRICE))

    # « Que manque-t-il ? »: Noé's vaccinations are missing, so no registration for him.
    open_hub(family).get_by_role("link", name=french("New registration")).click()
    family.get_by_label(world.noe_full, exact=True).check()
    family.get_by_role("button", name=french("Show the activities")).click()
    activity = family.get_by_role("listitem").filter(
        has=family.get_by_role("heading", name=world.activity, exact=True)
    )
    expect(activity).to_contain_text(french("What is missing?"))
    expect(activity).to_contain_text(french("%(document)s: missing.", document=world.document))
    expect(activity.get_by_role("button")).to_have_count(0)
    family.context.close()

    assert len(receipts_to(world.email, number)) == 1
