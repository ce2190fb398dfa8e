"""A new family's first days on the portal, on a phone, with the Enfance agent in the admin.

Signup → staff accept → set-password e-mail → login → health record change request, a
document sent, a message → staff validate the document and answer → the family's alerts.
"""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from portal_features.models import HealthRecord
from tests.files import pdf_bytes

from .clicks import Clicks
from .conftest import TIMEOUT_MS

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PARENT_EMAIL = "lea.durand@example.fr"
PARENT_PASSWORD = "Vacances-Ete-2026"
CHILD = "Tom"
SUBJECT = "Inscription aux mercredis"
# A real one-page PDF: uploads are parsed, not only sniffed.
PDF = pdf_bytes(text="Carnet de vaccinations")


def french(msgid: str, **values) -> str:
    """The interface's label, as the French catalogue translates it."""
    with translation.override("fr"):
        text = translation.gettext(msgid)
    return text % values if values else text


def leading_text(msgid: str) -> str:
    """The French message up to its first placeholder, for messages with a variable part."""
    return french(msgid).split("%(")[0]


def field_label(model, name: str) -> str:
    """A model form's label: the field's verbose name, capitalised."""
    with translation.override("fr"):
        return capfirst(str(model._meta.get_field(name).verbose_name))


def new_page(browser, viewport, **options):
    context = browser.new_context(locale="fr-FR", viewport=viewport, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def admin_index(model_name: str) -> str:
    return reverse(f"portal_features_{model_name}_modeladmin_index")


def test_new_family_signs_up_sends_documents_and_reads_staff_answers(
    portal_site, chromium, tmp_path
):
    site = portal_site
    family = new_page(chromium, PHONE, is_mobile=True, has_touch=True)
    staff = new_page(chromium, DESKTOP)

    # 1. The family asks for an account.
    family.goto(site.url + "/account/signup/")
    primary = family.get_by_role("group", name=french("You (primary guardian)"))
    primary.get_by_label(french("Civility")).select_option("mme")
    primary.get_by_label(french("Last name"), exact=True).fill("Durand")
    primary.get_by_label(french("First name"), exact=True).fill("Léa")
    primary.get_by_label(french("Relationship to the children")).select_option("mother")
    primary.get_by_label(french("E-mail address")).fill(PARENT_EMAIL)
    primary.get_by_label(french("Mobile phone")).fill("06 12 34 56 78")
    address = family.get_by_role("group", name=french("Family address"))
    address.get_by_label(french("Address"), exact=True).fill("3 rue des Lilas")
    address.get_by_label(french("Postal code")).fill("44000")
    address.get_by_label(french("City")).fill("Nantes")
    child = family.get_by_role("group", name=french("Child %(number)s", number=1))
    child.get_by_label(french("Last name"), exact=True).fill("Durand")
    child.get_by_label(french("First name"), exact=True).fill(CHILD)
    child.get_by_label(french("Date of birth")).fill("2018-05-04")
    child.get_by_label(french("Sex")).select_option("m")
    child.get_by_label(french("Class"), exact=True).select_option("cp")
    child.get_by_label(french("School"), exact=True).fill("École Jules-Ferry")
    family.get_by_label(french("I certify that the information above is accurate.")).check()
    family.get_by_role("button", name=french("Send my request"), exact=True).click()
    expect(family.get_by_role("heading", level=1)).to_have_text(french("Request received"))

    # 2. The Enfance agent accepts it in the admin.
    staff.goto(site.url + "/admin/login/")
    staff.locator("input[name=username]").fill(site.staff_email)
    staff.locator("input[name=password]").fill(site.staff_password)
    staff.locator("form button[type=submit]").click()
    staff.get_by_role("link", name=french("Account requests")).click()
    staff.get_by_role("row").filter(has_text=PARENT_EMAIL).get_by_role(
        "link", name=french("Accept"), exact=True
    ).click()
    staff.get_by_role("button", name=french("Yes, accept")).click()
    expect(staff.locator(".messages")).to_contain_text(
        leading_text("Request accepted: family %(number)s created, set-password e-mail sent.")
    )

    # 3. The set-password link of the e-mail, then the portal's login.
    link = next(
        match
        for message in mail.outbox
        if PARENT_EMAIL in message.to
        for match in re.findall(
            r"https?://[^/\s]+(/account/password-reset/\S+?/\S+?/)", message.body
        )
    )
    family.goto(site.url + link)
    family.get_by_label(french("New password"), exact=True).fill(PARENT_PASSWORD)
    family.get_by_label(french("New password confirmation"), exact=True).fill(PARENT_PASSWORD)
    family.get_by_role("button", name=french("Save my new password")).click()
    expect(family.get_by_role("heading", level=1)).to_have_text(
        french("Your new password is saved")
    )
    family.goto(site.url + "/account/login/")
    family.get_by_label(french("E-mail address")).fill(PARENT_EMAIL)
    family.get_by_label(french("Password"), exact=True).fill(PARENT_PASSWORD)
    family.get_by_role("main").get_by_role("button", name=french("Log in"), exact=True).click()
    expect(family).not_to_have_url(re.compile(r"/account/login/"))

    # 4. In the portal: a health record change, a document, a message.
    # Clicks counted as in test_way_in_journey.py, from the portal's home.
    family.goto(site.portal_url)
    click = Clicks()
    portal_menu = family.get_by_role("navigation", name=french("Family portal"))
    click(portal_menu.get_by_role("link", name=french("My family file")))
    click(family.get_by_role("link", name=french("See %(name)s's file", name=CHILD)))
    click(
        family.get_by_role(
            "link", name=f"{french('Ask for a change')} – {french('Health record')}", exact=True
        )
    )
    family.get_by_label(field_label(HealthRecord, "allergies")).fill("Arachide, kiwi")
    click(family.get_by_role("button", name=french("Send the request")))
    expect(family.get_by_role("status")).to_contain_text(
        french("Your request is sent. The service will check it and tell you.")
    )

    portal_menu.get_by_role("link", name=french("Documents"), exact=True).click()
    slot = f"{site.document_type.name} – {CHILD}"
    checklist_line = family.get_by_role("listitem").filter(has_text=slot)
    expect(checklist_line).to_contain_text(french("To send"))
    pdf = tmp_path / "carnet-vaccinations.pdf"
    pdf.write_bytes(PDF)
    family.get_by_label(french("Document"), exact=True).select_option(label=slot)
    family.get_by_label(french("File"), exact=True).set_input_files(pdf)
    family.get_by_role("button", name=french("Send"), exact=True).click()
    expect(family.get_by_role("status")).to_contain_text(
        french("Your document is sent. The service will check it and tell you.")
    )
    expect(checklist_line).to_contain_text(french("Sent, awaiting validation"))

    file_update_clicks, click.count = click.count, 0
    click(portal_menu.get_by_role("link", name=french("Messages"), exact=True))
    click(family.get_by_role("link", name=french("Write a new message")))
    family.get_by_label(french("Service and theme")).select_option(label=str(site.theme))
    family.get_by_label(french("Subject")).fill(SUBJECT)
    family.get_by_label(french("Message"), exact=True).fill("Tom peut-il venir le mercredi ?")
    click(family.get_by_role("button", name=french("Send"), exact=True))
    expect(family.get_by_role("status")).to_contain_text(french("Your message has been sent."))
    print(f"\nFile update: {file_update_clicks} clicks; a message: {click.count} clicks")
    assert (file_update_clicks, click.count) == (4, 3)

    # 5. The agent validates the document and answers the message.
    staff.goto(site.url + admin_index("supportingdocument"))
    staff.get_by_role("row").filter(has_text=site.document_type.name).get_by_role(
        "link", name=french("Validate")
    ).click()
    today = timezone.localdate()
    staff.get_by_label(french("Valid from")).fill(today.isoformat())
    staff.get_by_label(french("Valid until")).fill(
        (today + datetime.timedelta(days=365)).isoformat()
    )
    staff.get_by_role("button", name=french("Validate"), exact=True).click()
    expect(staff.locator(".messages")).to_contain_text(
        leading_text("Document validated (%(validity)s); the family is told.")
    )

    staff.goto(site.url + admin_index("thread"))
    staff.get_by_role("row").filter(has_text=SUBJECT).get_by_role(
        "link", name=french("Inspect")
    ).click()
    staff.get_by_label(french("Your reply")).fill("Oui, les inscriptions sont ouvertes.")
    staff.get_by_role("button", name=french("Send the reply")).click()
    expect(staff.locator(".messages")).to_contain_text(
        french("Reply sent; the family has been notified.")
    )

    # 6. The family sees the alerts: a count in the menu, both events in the list, new.
    # Checked in the page only: a query from here, while Playwright's loop runs, would open
    # a connection nobody closes (PostgreSQL then refuses to drop the test database).
    family.goto(site.portal_url)
    alerts_link = portal_menu.get_by_role("link", name=re.compile(french("Alerts")))
    badge = alerts_link.locator(".badge")
    expect(badge).to_contain_text(re.compile(r"\d"))
    unread_count = int(re.match(r"\d+", badge.inner_text()).group())
    assert unread_count >= 2  # at least the validation and the reply
    alerts_link.click()
    alerts = family.get_by_role("main")
    new_alert = french("new")
    for title in (
        french("Document validated: %(document)s", document=slot),
        french(
            "New message from %(service)s: %(subject)s",
            service=site.service.name,
            subject=SUBJECT,
        ),
    ):
        expect(
            alerts.get_by_role("heading", name=f"{new_alert} {title}", exact=True)
        ).to_be_visible()
    expect(
        alerts.get_by_role("heading", name=re.compile(f"^{re.escape(new_alert)} "))
    ).to_have_count(unread_count)
