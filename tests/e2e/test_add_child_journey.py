"""Issue 12, « the family grows »: a family asks for a second child from « Mon dossier »,
sending its vaccinations and, certified, its administrative file with the request; the
Enfance agent accepts it in one step, which validates them too (as a new family's account),
and the parent registers the child at once.

Clicks are counted as in test_way_in_journey.py (links, buttons, boxes, the file picker;
typing and choosing in a list are not). The staff's step is counted apart. The commune's
rule (a required document, a validated file before any registration) holds for a child
added later as for one declared at sign-up: staff validate both, in the same decision.
"""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reservations.eligibility import booking_window_reason
from reservations.opening import commune_holiday_check
from tests import factories

from .clicks import Clicks
from .reservation_steps import (
    WEEKDAYS,
    enrol,
    family_with_children,
    local_today,
    open_activity,
    open_hub,
    parent_logs_in,
    staff_log_in,
)
from .test_family_journey import (
    DESKTOP,
    PDF,
    PHONE,
    admin_index,
    french,
    new_page,
)

pytestmark = pytest.mark.e2e

EMAIL = "claire.dupont@example.fr"
ACTIVITY = "ALSH Mercredis élémentaire"
NEW_CHILD = "Jules"


@pytest.fixture
def family(portal_site):
    """The DUPONT household: Emma, enrolled, her vaccinations valid; an activity whose group
    takes CP–CE1."""
    today = local_today()
    activity, group, days = open_activity(today=today, name=ACTIVITY, weekdays=WEEKDAYS)
    group.school_levels = ["cp", "ce1"]
    group.save()
    household, (emma,) = family_with_children(
        email=EMAIL, name="DUPONT", children=[("Emma", datetime.date(2016, 9, 2))]
    )
    enrol(household, emma, activity)
    factories.SupportingDocumentFactory(
        family=household,
        child=emma,
        document_type=portal_site.document_type,
        status="valid",
        valid_from=today - datetime.timedelta(days=30),
        valid_until=today + datetime.timedelta(days=335),
    )
    now, is_holiday = timezone.now(), commune_holiday_check()
    assert any(booking_window_reason(activity, d, now, is_holiday) is None for d in days)
    return SimpleNamespace(site=portal_site, school_year=str(activity.school_year))


def staff_decides(staff, click, queue: str, row_text: str, decision: str) -> None:
    """A queue of the admin (its link in the menu, counted as one click), the row's
    decision."""
    staff.goto(queue)
    click.add()
    click(staff.get_by_role("row").filter(has_text=row_text).get_by_role("link", name=decision))


def test_a_child_asked_from_the_file_is_accepted_then_registered(family, chromium, tmp_path):
    site, click = family.site, Clicks()
    parent = new_page(chromium, PHONE, is_mobile=True, has_touch=True)
    staff = new_page(chromium, DESKTOP)
    portal_menu = parent.get_by_role("navigation", name=french("Family portal"))

    # 1. « Mon dossier » → « Ajouter un enfant »: the child, its vaccinations and, certified,
    # its administrative file, in one request; not yet a child.
    parent_logs_in(parent, site, EMAIL)
    click(portal_menu.get_by_role("link", name=french("My family file")))
    click(parent.get_by_role("link", name=french("Add a child"), exact=True))
    form = parent.get_by_role("main")
    form.get_by_label(french("Last name"), exact=True).fill("DUPONT")
    form.get_by_label(french("First name"), exact=True).fill(NEW_CHILD)
    form.get_by_label(french("Date of birth")).fill("2019-06-01")
    form.get_by_label(french("Sex")).select_option("m")
    form.get_by_label(french("School"), exact=True).fill("École Jules-Ferry")
    form.get_by_label(french("Class"), exact=True).select_option("cp")
    pdf = tmp_path / "carnet-jules.pdf"
    pdf.write_bytes(PDF)
    form.get_by_label(site.document_type.name, exact=True).set_input_files(pdf)
    click.add()  # the file picker
    click.check(
        form.get_by_label(french("I certify that the information in my family file is accurate"))
    )
    click(parent.get_by_role("button", name=french("Send the request")))
    expect(parent.get_by_role("status")).to_contain_text(
        french("Your request is sent. The service will check it and tell you.")
    )
    parent_asked = click.count

    # 2. The agent reads the request and its document in « Demandes de modification » and
    # accepts it: « Valider aussi… » is ticked, so the child, its document and its file go
    # in one step.
    staff_log_in(staff, site)
    click.add()  # the admin's « Se connecter »
    staff_decides(staff, click, site.url + admin_index("changerequest"), "DUPONT", french("Accept"))
    expect(staff.get_by_role("link", name=re.compile(site.document_type.name))).to_be_visible()
    expect(
        staff.get_by_label(
            french("Also validate the documents sent and the administrative file (a new child)")
        )
    ).to_be_checked()
    click(staff.get_by_role("button", name=french("Yes, accept")))
    expect(staff.locator(".messages")).to_contain_text(
        french("Request accepted: the family file is updated.")
    )
    staff_accepted = click.count - parent_asked

    # 3. Jules is registered at once (his class fits the group).
    click.add()  # the portal menu's « Inscriptions et réservations » (open_hub)
    hub = open_hub(parent)
    click(hub.get_by_role("link", name=french("New registration")))
    click.check(parent.get_by_label(f"{NEW_CHILD} DUPONT", exact=True))
    click(parent.get_by_role("button", name=french("Show the activities")))
    activity = parent.get_by_role("listitem").filter(
        has=parent.get_by_role("heading", name=ACTIVITY, exact=True)
    )
    click(activity.get_by_role("button", name=re.compile(f"^{re.escape(french('Register'))}")))
    expect(parent.get_by_role("status")).to_contain_text(
        french(
            "%(child)s is registered to %(activity)s: the registration is validated.",
            child=NEW_CHILD,
            activity=ACTIVITY,
        )
    )
    expect(activity.get_by_role("link", name=french("Book days"))).to_be_visible()
    parent.context.close()

    print(f"\nAdd a child: {click.count} clicks, of which {staff_accepted} by staff")
    assert parent_asked == 5  # the file, « Ajouter un enfant », the file picker, the box, send
    assert staff_accepted == 4  # log in, the queue, « Accepter », « Oui, accepter »
    assert click.count == 14  # 26 before: 10 by staff, the document and the file sent apart
