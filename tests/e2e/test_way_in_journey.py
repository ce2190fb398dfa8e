"""Issue 12, « the way in » (guide 002's path): a new family signs up with its child's school,
class and vaccinations; the Enfance agent accepts it in ONE screen (account, documents and
administrative file); the parent logs in, lands on the portal's home and books a first day.

Clicks are counted as the family and the agent make them (links, buttons, boxes ticked, the
Enter key; typing and choosing in a list are not counted): 27 here, 4 of them by staff;
51 before this path existed, 15 of them by staff in four queues (README).
"""

import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Site

from cms.models import CommuneSettings
from reservations.eligibility import booking_window_reason
from reservations.opening import commune_holiday_check

from .clicks import Clicks
from .reservation_steps import (
    UNIT,
    WEEKDAYS,
    choose_activity,
    choose_participants,
    go_to_basket,
    local_today,
    open_activity,
    open_hub,
    receipt_row,
    staff_log_in,
    tick,
    validate_basket,
)
from .test_family_journey import DESKTOP, PDF, PHONE, french, leading_text, new_page

pytestmark = pytest.mark.e2e

EMAIL = "lina.petit@example.fr"
PASSWORD = "Vacances-Ete-2026"
SCHOOL = "École des Tilleuls"
ACTIVITY = "ALSH Mercredis élémentaire"


@pytest.fixture
def commune(portal_site):
    """Schools listed by the commune; an activity for CP–CE1 only, booked without a rule."""
    settings = CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    settings.schools = f"École Jules-Ferry\n{SCHOOL}"
    settings.save()
    today = local_today()
    activity, group, days = open_activity(today=today, name=ACTIVITY, weekdays=WEEKDAYS)
    group.school_levels = ["cp", "ce1"]
    group.save()
    now, is_holiday = timezone.now(), commune_holiday_check()
    day = next(d for d in days if booking_window_reason(activity, d, now, is_holiday) is None)
    return SimpleNamespace(site=portal_site, day=day)


def test_new_family_books_its_first_day_after_one_staff_step(commune, chromium, tmp_path):
    site, click = commune.site, Clicks()
    family = new_page(chromium, PHONE, is_mobile=True, has_touch=True)
    staff = new_page(chromium, DESKTOP)
    pdf = tmp_path / "carnet.pdf"
    pdf.write_bytes(PDF)

    # 1. From the public site: « Mon espace famille », then « Nouveau dossier ».
    family.goto(site.url + "/")
    click(family.get_by_role("banner").get_by_role("link", name=french("My family space")))
    click(family.get_by_role("link", name=french("New family file: ask for an account")))
    primary = family.get_by_role("group", name=french("You (primary guardian)"))
    primary.get_by_label(french("Civility")).select_option("mme")
    primary.get_by_label(french("Last name"), exact=True).fill("Petit")
    primary.get_by_label(french("First name"), exact=True).fill("Sarah")
    primary.get_by_label(french("Relationship to the children")).select_option("mother")
    primary.get_by_label(french("E-mail address")).fill(EMAIL)
    primary.get_by_label(french("Mobile phone")).fill("06 12 34 56 78")
    address = family.get_by_role("group", name=french("Family address"))
    address.get_by_label(french("Address"), exact=True).fill("3 rue des Lilas")
    address.get_by_label(french("Postal code")).fill("44000")
    address.get_by_label(french("City")).fill("Nantes")
    child = family.get_by_role("group", name=french("Child %(number)s", number=1))
    child.get_by_label(french("Last name"), exact=True).fill("Petit")
    child.get_by_label(french("First name"), exact=True).fill("Lina")
    child.get_by_label(french("Date of birth")).fill("2019-03-15")
    child.get_by_label(french("Sex")).select_option("f")
    child.get_by_label(french("Class"), exact=True).select_option("cp")
    child.get_by_label(french("School"), exact=True).select_option(SCHOOL)
    child.get_by_label(site.document_type.name).set_input_files(pdf)
    click.add()  # the file picker
    expect(family.locator("#signup-privacy")).to_be_visible()
    click.check(family.get_by_label(french("I certify that the information above is accurate.")))
    # Enter in a field sends the request: it does not add an empty child.
    click.enter(address.get_by_label(french("City")))
    expect(family.get_by_role("heading", level=1)).to_have_text(french("Request received"))
    before_staff = click.count

    # 2. The agent accepts the account, its document and Lina's file on one screen.
    staff_log_in(staff, site)
    click.add()  # the admin's « Se connecter »
    click(staff.get_by_role("link", name=french("Account requests")))
    click(
        staff.get_by_role("row")
        .filter(has_text=EMAIL)
        .get_by_role("link", name=french("Accept"), exact=True)
    )
    expect(staff.get_by_role("link", name=re.compile(site.document_type.name))).to_be_visible()
    expect(staff.get_by_role("cell", name=SCHOOL)).to_be_visible()
    expect(
        staff.get_by_label(
            french("Also validate the documents sent and the children's administrative files")
        )
    ).to_be_checked()
    click(staff.get_by_role("button", name=french("Yes, accept")))
    expect(staff.locator(".messages")).to_contain_text(
        leading_text("Request accepted: family %(number)s created, set-password e-mail sent.")
    )
    staff_clicks = click.count - before_staff

    # 3. The set-password e-mail, the login: the parent lands on the portal's home.
    link = next(
        match
        for message in mail.outbox
        if EMAIL in message.to
        for match in re.findall(
            r"https?://[^/\s]+(/account/password-reset/\S+?/\S+?/)", message.body
        )
    )
    family.goto(site.url + link)
    click.add()  # the e-mail's link
    family.get_by_label(french("New password"), exact=True).fill(PASSWORD)
    family.get_by_label(french("New password confirmation"), exact=True).fill(PASSWORD)
    click(family.get_by_role("button", name=french("Save my new password")))
    click(family.get_by_role("main").get_by_role("link", name=french("Log in")))
    family.get_by_label(french("E-mail address")).fill(EMAIL)
    family.get_by_label(french("Password"), exact=True).fill(PASSWORD)
    click(family.get_by_role("main").get_by_role("button", name=french("Log in"), exact=True))
    expect(family).to_have_url(site.portal_url)

    # 4. Lina may be registered at once (her class fits the group) and a first day booked.
    click(open_hub(family).get_by_role("link", name=french("New registration")))
    click.add()  # the hub's link in the portal's menu (open_hub)
    click.check(family.get_by_label("Lina Petit", exact=True))
    click(family.get_by_role("button", name=french("Show the activities")))
    activity = family.get_by_role("listitem").filter(
        has=family.get_by_role("heading", name=ACTIVITY, exact=True)
    )
    click(activity.get_by_role("button", name=re.compile(f"^{re.escape(french('Register'))}")))
    expect(family.get_by_role("status")).to_contain_text(
        french(
            "%(child)s is registered to %(activity)s: the registration is validated.",
            child="Lina",
            activity=ACTIVITY,
        )
    )
    click(activity.get_by_role("link", name=french("Book days")))
    choose_participants(family, ["Lina"])
    choose_activity(family, ACTIVITY)
    click.add(4)  # a box and « Suivant » in each of the two steps
    tick(family, "Lina", commune.day)
    click.add()  # the box of the day
    click(family.get_by_role("button", name=f"{french('Add to basket')} – {UNIT}"))
    go_to_basket(family, 1)
    validate_basket(family)
    click.add(2)  # « Mon panier », « Valider »
    expect(receipt_row(family, "Lina", commune.day)).to_contain_text(french("Validated"))
    family.context.close()

    print(f"\nWay in: {click.count} clicks, of which {staff_clicks} by staff")
    assert staff_clicks == 4  # log in, « Demandes de compte », « Accepter », « Oui, accepter »
    assert click.count == 27
