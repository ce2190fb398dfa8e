"""Issue 12, « the family grows »: a family asks for a second child from « Mon dossier », the
Enfance agent accepts it, the child is in the family's file; once its vaccinations and its
administrative file are validated, the parent registers it and it may be booked.

Clicks are counted as in test_way_in_journey.py (links, buttons, boxes, the file picker;
typing and choosing in a list are not). The staff's steps are counted apart: accepting the
request, then validating the child's document and its administrative file — the commune's
rule (a required document, a validated file before any registration) holds for a child
added later as for one declared at sign-up.
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
    leading_text,
    new_page,
)

pytestmark = pytest.mark.e2e

EMAIL = "claire.dupont@example.fr"
ACTIVITY = "ALSH Mercredis élémentaire"
NEW_CHILD = "Jules"
ENROLMENTS = "/admin/reservations/queues/enrolments/"


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

    # 1. « Mon dossier » → « Ajouter un enfant »: a request, not yet a child.
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
    click(parent.get_by_role("button", name=french("Send the request")))
    expect(parent.get_by_role("status")).to_contain_text(
        french("Your request is sent. The service will check it and tell you.")
    )
    parent_asked = click.count

    # 2. The agent accepts it in « Demandes de modification ».
    staff_log_in(staff, site)
    click.add()  # the admin's « Se connecter »
    staff_decides(staff, click, site.url + admin_index("changerequest"), "DUPONT", french("Accept"))
    click(staff.get_by_role("button", name=french("Yes, accept")))
    expect(staff.locator(".messages")).to_contain_text(
        french("Request accepted: the family file is updated.")
    )
    staff_accepted = click.count - parent_asked

    # 3. Jules is in the family's file; his vaccinations and administrative file are sent.
    click(portal_menu.get_by_role("link", name=french("My family file")))
    expect(
        parent.get_by_role("link", name=french("See %(name)s's file", name=NEW_CHILD))
    ).to_be_visible()
    click(portal_menu.get_by_role("link", name=french("Documents"), exact=True))
    slot = f"{site.document_type.name} – {NEW_CHILD}"
    parent.get_by_label(french("Document"), exact=True).select_option(label=slot)
    pdf = tmp_path / "carnet-jules.pdf"
    pdf.write_bytes(PDF)
    parent.get_by_label(french("File"), exact=True).set_input_files(pdf)
    click.add()  # the file picker
    click(parent.get_by_role("button", name=french("Send"), exact=True))
    expect(parent.get_by_role("status")).to_contain_text(
        french("Your document is sent. The service will check it and tell you.")
    )
    click.add()  # the portal menu's « Inscriptions et réservations » (open_hub)
    open_hub(parent)
    click(
        parent.get_by_role(
            "link",
            name=f"{french('Complete the administrative file')} {family.school_year} – {NEW_CHILD}",
        )
    )
    click.check(
        parent.get_by_label(french("I certify that the information in my family file is accurate"))
    )
    click(parent.get_by_role("button", name=french("Send the administrative file")))
    expect(parent.get_by_role("status")).to_contain_text(
        leading_text(
            "The administrative file %(year)s of %(child)s is sent. The service will check it "
            "and tell you."
        )
    )
    before_validation = click.count

    # 4. The agent validates the document, then the file.
    staff_decides(
        staff, click, site.url + admin_index("supportingdocument"), NEW_CHILD, french("Validate")
    )
    today = timezone.localdate()
    staff.get_by_label(french("Valid from")).fill(today.isoformat())
    staff.get_by_label(french("Valid until")).fill(
        (today + datetime.timedelta(days=365)).isoformat()
    )
    click(staff.get_by_role("button", name=french("Validate"), exact=True))
    expect(staff.locator(".messages")).to_contain_text(
        leading_text("Document validated (%(validity)s); the family is told.")
    )
    staff_decides(staff, click, site.url + ENROLMENTS, NEW_CHILD, french("Accept"))
    click(staff.get_by_role("button", name=re.compile(re.escape(french("Accept")))))
    expect(staff.locator(".messages")).to_contain_text(
        french("Administrative file validated; the family is told.")
    )
    staff_validated = click.count - before_validation

    # 5. Jules is registered at once (his class fits the group).
    click.add()  # open_hub
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

    staff_clicks = staff_accepted + staff_validated
    print(f"\nAdd a child: {click.count} clicks, of which {staff_clicks} by staff")
    assert staff_accepted == 4  # log in, the queue, « Accepter », « Oui, accepter »
    assert staff_validated == 6  # two queues: the link, the row's decision, the confirmation
    assert click.count == 26
