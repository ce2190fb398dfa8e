"""A child ill for several days, on a phone, in Chromium against the live site: one
declaration for two days and two units with one medical certificate, from « Mon
calendrier »; the days show the absence, and a day with an absence no longer offers
« Annuler cette journée ». Clicks are counted as in test_way_in_journey.py: 10 from the
portal's home (4 boxes for 2 days × 2 units, the reason, the certificate, « Déclarer »).

The records are created by the fixture, before Chromium starts (see `reservation_steps`).
"""

import datetime
import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from reservations.models import ReservationRule
from reservations.services import basket as basket_services
from reservations.services.configuration import activity_slots_generate
from tests import factories
from tests.files import pdf_bytes

from .clicks import Clicks
from .reservation_steps import (
    UNIT,
    WEEKDAYS,
    calendar_day,
    day_label,
    enrol,
    family_with_children,
    french_count,
    local_today,
    open_activity,
    open_hub,
    parent_logs_in,
)
from .test_family_journey import PHONE, french, new_page

pytestmark = pytest.mark.e2e

MEAL = "Repas"
CERTIFICATE = pdf_bytes(text="Certificat medical")


@pytest.fixture
def ill_child(portal_site):
    """A child booked on the next open days, in two units, past their free cancellation
    (ten days before): an absence is what the family declares."""
    today = local_today()
    activity, group, days = open_activity(today=today, name="Accueil de loisirs", weekdays=WEEKDAYS)
    activity.rule = ReservationRule.objects.create(
        name="Dix jours",
        cancellation_deadline={"kind": "hours_before", "hours": 240, "start": "08:30"},
    )
    activity.save()
    meal = factories.UnitFactory(activity=activity, name=MEAL, sort_order=1)
    activity_slots_generate(activity_id=activity.pk)
    family, (child,) = family_with_children(
        email="ines.moreau@example.fr",
        name="MOREAU",
        children=[("Jade", datetime.date(2017, 5, 12))],
    )
    enrol(family, child, activity, group)
    guardian = family.guardians.get()
    ill_days = [day for day in days if day > today][:2]
    for unit in (activity.units.get(name=UNIT), meal):
        basket_services.basket_add_bookings(
            family=family, child_id=child.pk, unit_id=unit.pk, days=ill_days, user=guardian.user
        )
    order = basket_services.basket_submit(family=family, user=guardian.user)
    assert order.lines.count() == 4
    return SimpleNamespace(
        site=portal_site,
        email="ines.moreau@example.fr",
        child=child,
        activity=activity.name,
        days=ill_days,
    )


def test_several_days_and_units_absent_with_one_certificate(ill_child, chromium, tmp_path):
    world = ill_child
    jade = world.child.first_name
    certificate = tmp_path / "certificat-jade.pdf"
    certificate.write_bytes(CERTIFICATE)
    family = new_page(chromium, PHONE, is_mobile=True, has_touch=True)
    parent_logs_in(family, world.site, world.email)
    click = Clicks()

    # 1. « Mon calendrier » → « Déclarer une absence ».
    click.add()  # the portal's tab « Inscriptions et réservations » (open_hub)
    click(open_hub(family).get_by_role("link", name=french("My calendar")))
    click(family.get_by_role("link", name=french("Declare an absence"), exact=True))
    expect(family.get_by_role("heading", level=1)).to_have_text(french("Declare an absence"))

    # 2. Both days, both units, one reason, one certificate.
    days = family.get_by_role("group", name=re.compile(re.escape(french("Days of absence"))))
    for day in world.days:
        for unit in (UNIT, MEAL):
            click.check(
                days.get_by_label(
                    f"{jade} – {day_label(day)} – {world.activity} – {unit}", exact=True
                )
            )
    click.check(family.get_by_label(french("Illness"), exact=True))
    family.get_by_label(french("Medical certificate (optional)")).set_input_files(certificate)
    click.add()  # the file picker
    click(family.get_by_role("button", name=french("Declare the absence")))

    # 3. Back on the calendar, the week of the first day: every day says it.
    # The calendar also holds the (empty) outcome region of its JavaScript booking.
    expect(family.get_by_role("status").filter(has_text=re.compile(r"\S"))).to_contain_text(
        french_count(
            "Your absence on %(count)d day is declared. The service will tell you its decision.",
            "Your absence on %(count)d days is declared. The service will tell you its decision.",
            4,
        )
    )
    expect(family).to_have_url(re.compile(r"week=\d{4}-W\d{2}"))
    first = calendar_day(family, str(world.child), world.days[0])
    expect(first.filter(has_text=french("Absence declared"))).not_to_have_count(0)
    print(f"\nAbsence, 2 days × 2 units, one certificate: {click.count} clicks")
    assert click.count == 10

    # 4. The day's page: the certificate to download, no « Annuler cette journée ».
    first.get_by_role("link", name=french("Absence declared")).first.click()
    expect(family.get_by_role("heading", level=1)).to_contain_text(jade)
    expect(
        family.get_by_role(
            "link", name=re.compile(re.escape(french("Download the medical certificate")))
        )
    ).to_be_visible()
    expect(family.get_by_role("button", name=french("Cancel this day"))).to_have_count(0)
    family.context.close()
