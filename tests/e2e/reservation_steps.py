"""What the reservation journeys share: French labels, the commune's data created before
Chromium starts, and the steps a family or staff take in the pages.

Every record is created by the fixtures, before Chromium starts: while Playwright's loop
runs, a query from the test's thread would open a connection nobody closes (PostgreSQL then
refuses to drop the test database). What came of each step is read in the pages, and in
the e-mails the live server (a thread of this process) leaves in `mail.outbox`.
"""

import datetime
import re
from decimal import Decimal

from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from core.money import format_euros
from core.time import PARIS
from reservations.models import Slot
from reservations.services.configuration import activity_slots_generate
from tests import factories

from .test_family_journey import french, leading_text

PRICE = Decimal("12.20")
UNIT = "Journée"
WEEKDAYS = [0, 1, 2, 3, 4]
WEDNESDAY = 2
REFUSAL_REASON = "Sortie au zoo complète pour le groupe des élémentaires."


# --- French labels -------------------------------------------------------------------------


def french_in(context: str, msgid: str) -> str:
    """A label translated in its context (the wizard's steps: "Summary" context "booking
    step")."""
    with translation.override("fr"):
        return translation.pgettext(context, msgid)


def french_count(singular: str, plural: str, count: int, **values) -> str:
    with translation.override("fr"):
        text = translation.ngettext(singular, plural, count)
    return text % {"count": count, **values}


def in_french(function, *args):
    """What a template filter shows in a French page (dates, amounts)."""
    with translation.override("fr"):
        return function(*args)


def day_label(day: datetime.date) -> str:
    """A day as the planning and the calendar write it: « mercredi 25 novembre »."""
    return in_french(date_format, day, "l j F")


def euros(amount) -> re.Pattern:
    """An amount as the pages write it (« 12,20 € »), any space before the sign matching."""
    return re.compile(r"\s".join(map(re.escape, in_french(format_euros, amount).split("\xa0"))))


def period(day: datetime.date) -> str:
    """The « Période » of a line: « 25/11/26 : 8 h 30 – 17 h 30 »."""
    return f"{day:%d/%m/%y} : 8\u00a0h\u00a030 – 17\u00a0h\u00a030"


# --- The commune's data, created before Chromium starts --------------------------------------


def local_today() -> datetime.date:
    return timezone.localdate(timezone.now(), PARIS)


def school_year_around(today: datetime.date):
    start = today - datetime.timedelta(days=60)
    return factories.SchoolYearFactory(
        name=f"{start.year}-{start.year + 1}",
        start_date=start,
        end_date=today + datetime.timedelta(days=300),
    )


def open_activity(*, today, name, weekdays, **fields):
    """An activity from two weeks ago to four months ahead, one "Journée" unit at 12,20 €,
    one group, its opening days generated (public holidays left out)."""
    activity = factories.ActivityFactory(
        school_year=school_year_around(today),
        name=name,
        start_date=today - datetime.timedelta(days=14),
        end_date=today + datetime.timedelta(days=120),
        weekdays=weekdays,
        calendar="all_days",
        **fields,
    )
    unit = factories.UnitFactory(activity=activity, name=UNIT, price=PRICE)
    group = factories.GroupFactory(activity=activity, name="Élémentaire", capacity=12)
    activity_slots_generate(activity_id=activity.pk)
    days = sorted(Slot.objects.filter(unit=unit).values_list("day", flat=True).distinct())
    return activity, group, days


def family_with_children(*, email: str, name: str, children: list[tuple[str, datetime.date]]):
    family = factories.FamilyFactory(name=name)
    factories.GuardianFactory(family=family, user__email=email)
    kids = [
        factories.ChildFactory(family=family, first_name=first, last_name=name, birth_date=born)
        for first, born in children
    ]
    return family, kids


def enrol(family, child, activity, group=None):
    """The child's administrative file validated and, with `group`, registered (validated)."""
    factories.EnrolmentFactory(family=family, child=child, school_year=activity.school_year)
    if group is not None:
        factories.RegistrationFactory(family=family, child=child, activity=activity, group=group)


def first_month_with(days, count: int) -> list[datetime.date]:
    """The first `count` days of the first month holding at least `count` of `days`."""
    by_month: dict[tuple[int, int], list] = {}
    for day in days:
        by_month.setdefault((day.year, day.month), []).append(day)
    return next(month[:count] for month in by_month.values() if len(month) >= count)


# --- Steps shared by the journeys ---------------------------------------------------------


def parent_logs_in(page, site, email: str) -> None:
    page.goto(site.url + "/account/login/")
    page.get_by_label(french("E-mail address")).fill(email)
    page.get_by_label(french("Password"), exact=True).fill(factories.PASSWORD)
    page.get_by_role("main").get_by_role("button", name=french("Log in"), exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/account/login/"))
    page.goto(site.portal_url)


def staff_log_in(page, site) -> None:
    page.goto(site.url + "/admin/login/")
    page.locator("input[name=username]").fill(site.staff_email)
    page.locator("input[name=password]").fill(site.staff_password)
    page.locator("form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/admin/login/"))


def open_hub(page):
    page.get_by_role("navigation", name=french("Family portal")).get_by_role(
        "link", name=french("Registrations and bookings")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(french("Registrations and bookings"))
    return page.get_by_role("navigation", name=french("Registrations and bookings"))


def expect_step(page, key: str) -> None:
    expect(page.locator("[aria-current=step]")).to_contain_text(french_in("booking step", key))


def choose_participants(page, first_names) -> None:
    expect_step(page, "Participants")
    participants = page.get_by_role("group", name=french("Participants"))
    for first_name in first_names:
        participants.get_by_label(re.compile(rf"^{re.escape(first_name)} ")).check()
    page.get_by_role("button", name=french("Next"), exact=True).click()


def choose_activity(page, activity: str) -> None:
    expect_step(page, "Activities")
    page.get_by_label(activity, exact=True).check()
    page.get_by_role("button", name=french("Next"), exact=True).click()
    expect_step(page, "Planning")
    expect(page.get_by_role("heading", name=activity, exact=True)).to_be_visible()


def tick(page, first_name: str, day: datetime.date) -> None:
    page.get_by_label(f"{french('Book')} – {first_name}, {day_label(day)}", exact=True).check()


def go_to_basket(page, lines: int) -> None:
    page.get_by_role(
        "link",
        name=french_count(
            "Next: my basket (%(count)s line)", "Next: my basket (%(count)s lines)", lines
        ),
    ).click()
    expect_step(page, "Summary")


def validate_basket(page) -> str:
    """« Valider »: the receipt's number, of the year's series (2026-00042)."""
    page.get_by_role("button", name=french("Validate"), exact=True).click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(
        re.compile(rf"^{re.escape(leading_text('Order no. %(number)s'))}\d{{4}}-\d{{5}}$")
    )
    number = re.search(r"\d{4}-\d{5}$", heading.inner_text()).group()
    expect(page.get_by_role("status")).to_contain_text(
        french("Your order no. %(number)s is registered. A receipt is sent by e-mail.")
        % {"number": number}
    )
    return number


def receipt_row(page, first_name: str, day: datetime.date):
    return (
        page.get_by_role("table", name=french("Lines of the order"))
        .get_by_role("row")
        .filter(has_text=first_name)
        .filter(has_text=period(day))
    )


def calendar_day(page, full_name: str, day: datetime.date):
    """One day of a child in « Mon calendrier » as a phone shows it: a list of days, each a
    list of its units (whose booking boxes name the day too, hence the day's own class)."""
    return (
        page.get_by_role("region", name=full_name, exact=True)
        .locator("li.cal-list__day")
        .filter(has_text=day_label(day))
    )


def calendar_views(page):
    """The « Semaine / Mois / Cette semaine » links of « Mon calendrier »: a phone opens on
    this week (static/reservations/calendar.js), the month is one link away."""
    expect(page).to_have_url(re.compile(r"[?&]week=\d{4}-W\d{2}"))
    return page.get_by_role("navigation", name=french("Weeks"))


def receipts_to(email: str, number: str) -> list:
    """The receipt e-mails of order `number` sent to `email`."""
    subject = re.escape(french("Your order no. %(number)s is registered – %(site_name)s"))
    subject = subject.replace(re.escape("%(number)s"), str(number))
    subject = re.compile(subject.replace(re.escape("%(site_name)s"), ".*"))
    return [
        message
        for message in mail.outbox
        if email in message.to and subject.fullmatch(message.subject)
    ]
