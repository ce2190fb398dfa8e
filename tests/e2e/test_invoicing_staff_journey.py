"""The staff part of the Finances journey (guides 000, 003, 004), in Chromium against the
live site: an Enfance agent simulates a price, prepares the month's run of the régie,
reviews the draft per family (lines, explanation, totals) and finalizes it after the
confirmation step; the numbers appear.

Every record is created by the fixture before Chromium starts (see
reservation_steps.py); the run itself reads the real reservations and tariffs.
"""

import datetime
import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from invoicing.models import RegieActivity
from portal_features.models import QuotientRecord
from reservations.models import Reservation, Slot, Tariff, TariffBracket
from tests import factories
from tests.invoicing.conftest import NOV_WEDNESDAYS, make_regie

from .reservation_steps import euros, staff_log_in
from .test_family_journey import DESKTOP, french, new_page

pytestmark = pytest.mark.e2e

SEPTEMBER = datetime.date(2026, 9, 1)


@pytest.fixture
def billed_month(portal_site):
    """A régie billing an activity priced by QF bracket; a family (QF 650) whose child was
    booked on November's four Wednesdays."""
    year = factories.SchoolYearFactory(
        name="2026-2027", start_date=SEPTEMBER, end_date=datetime.date(2027, 7, 3)
    )
    activity = factories.ActivityFactory(school_year=year, name="Mercredis loisirs")
    unit = factories.UnitFactory(activity=activity, name="Journée")
    group = factories.GroupFactory(activity=activity, name="Élémentaire")
    regie = make_regie()
    RegieActivity.objects.create(activity=activity, regie=regie)
    tariff = Tariff.objects.create(unit=unit, valid_from=SEPTEMBER, method="qf_brackets")
    TariffBracket.objects.create(tariff=tariff, qf_min=0, qf_max=700, amount="8.00")
    TariffBracket.objects.create(tariff=tariff, qf_min=700, qf_max=None, amount="11.00")
    family = factories.FamilyFactory(name="Lambert")
    factories.GuardianFactory(family=family)
    child = factories.ChildFactory(family=family, first_name="Inès", last_name="Lambert")
    QuotientRecord.objects.create(family=family, value=650, valid_from=SEPTEMBER, source="caf")
    for day in NOV_WEDNESDAYS:
        slot = Slot.objects.create(unit=unit, group=group, day=day, capacity=12)
        Reservation.objects.create(
            family=family,
            child=child,
            unit=unit,
            slot=slot,
            day=day,
            status="accepted",
            unit_price=unit.price,
        )
    return SimpleNamespace(
        site=portal_site, regie=regie, family=family, child=child, unit=unit, activity=activity
    )


def test_staff_simulate_prepare_review_and_finalize_the_month(chromium, billed_month):
    page = new_page(chromium, DESKTOP)
    site = billed_month.site
    staff_log_in(page, site)

    # « Simuler un prix »: the family first, then its child.
    page.goto(site.url + "/admin/reservations/prices/simulate/")
    page.get_by_label(french("Family"), exact=True).select_option(label=str(billed_month.family))
    page.get_by_role("button", name=french("Show"), exact=True).click()
    page.get_by_label(french("Child"), exact=True).select_option(label=str(billed_month.child))
    page.get_by_label(french("Unit"), exact=True).select_option(label=str(billed_month.unit))
    page.get_by_label(french("Day"), exact=True).fill(NOV_WEDNESDAYS[0].isoformat())
    page.get_by_role("button", name=french("Show"), exact=True).click()
    result = page.locator("table.listing")
    expect(result).to_contain_text(euros("8.00"))
    expect(result).to_contain_text("650")

    # « Préparer la facturation » of November for the régie.
    page.goto(site.url + "/admin/invoicing/invoicingrun/")
    page.get_by_role("link", name=french("Prepare the invoicing"), exact=True).click()
    page.get_by_label(french("Régie"), exact=True).select_option(label=str(billed_month.regie))
    page.get_by_label(french("Month"), exact=True).fill("2026-11")
    page.get_by_role("button", name=french("Prepare the draft"), exact=True).click()

    # The draft: the family, its four lines with their explanation, the totals.
    family = page.locator('[data-testid="run-family"]')
    expect(family).to_have_count(1)
    expect(family).to_contain_text("Lambert")
    expect(family.locator("tbody tr")).to_have_count(4)
    expect(family).to_contain_text("650")
    expect(page.get_by_test_id("total-invoiced")).to_have_text(euros("32.00"))
    expect(page.get_by_test_id("run-status")).to_have_text(french("Draft"))

    # « Valider définitivement », confirmed on its own page.
    page.get_by_role("link", name=french("Finalize"), exact=True).first.click()
    expect(page.locator("main")).to_contain_text(euros("32.00"))
    page.get_by_role("button", name=french("Finalize"), exact=True).click()

    expect(page.get_by_test_id("run-status")).to_have_text(french("Finalized"))
    expect(page.get_by_test_id("run-numbers")).to_have_text(
        re.compile(r"FALSH-26-000001 → FALSH-26-000001")
    )
    expect(page.locator('[data-testid="run-family"]')).to_contain_text("FALSH-26-000001")
