"""Families booking days as the reference guides show it, in Chromium against the live site.

- Guide 000, on a phone: the booking wizard for two children (participants → activities →
  planning → summary), « Valider », the receipt and its e-mail; staff accept one day and
  refuse another with a reason; the family sees it in « Mon calendrier », then cancels the
  validated day through the basket.
- Guide 001, on a desktop: a periodic booking on odd weeks, validated at once, and the
  alert of the order.
- Guide 004, on a phone: a child registers to an activity (« ouvrir une ligne d'activité »),
  books a day allowed by the "before the 20th of the previous month" rule and gets the
  receipt; a brother without his vaccinations sees « Que manque-t-il ? ».

Every record is created by the fixtures, before Chromium starts: while Playwright's loop
runs, a query from the test's thread would open a connection nobody closes (PostgreSQL then
refuses to drop the test database). What came of each step is read in the pages, and in
the e-mails the live server (a thread of this process) leaves in `mail.outbox`.
"""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from core.money import format_euros
from core.time import PARIS
from reservations.admin.queues import BookingRequestQueue, queue_url
from reservations.choices import ValidationMode
from reservations.eligibility import booking_window_reason
from reservations.models import ReservationRule, Slot
from reservations.opening import commune_holiday_check
from reservations.services.configuration import activity_slots_generate
from tests import factories

from .test_family_journey import DESKTOP, PHONE, french, leading_text, new_page

pytestmark = pytest.mark.e2e

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


@pytest.fixture
def guide_001(portal_site):
    """A child registered to a Wednesday activity validated at once."""
    today = local_today()
    activity, group, days = open_activity(
        today=today, name="Mercredis loisirs", weekdays=[WEDNESDAY]
    )
    family, (child,) = family_with_children(
        email="paul.bernard@example.fr",
        name="BERNARD",
        children=[("Zoé", datetime.date(2017, 6, 2))],
    )
    enrol(family, child, activity, group)
    start = today + datetime.timedelta(days=1)
    end = start + datetime.timedelta(days=27)
    in_range = [day for day in days if start <= day <= end]
    return SimpleNamespace(
        site=portal_site,
        email="paul.bernard@example.fr",
        activity=activity.name,
        child=child.first_name,
        start=start,
        end=end,
        odd_weeks=[day for day in in_range if day.isocalendar().week % 2 == 1],
        even_weeks=[day for day in in_range if day.isocalendar().week % 2 == 0],
    )


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
    """One day of a child in « Mon calendrier » as a phone shows it: a list of days."""
    return (
        page.get_by_role("region", name=full_name, exact=True)
        .get_by_role("listitem")
        .filter(has_text=day_label(day))
    )


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
    lina_first.get_by_role("link", name=french("Validated")).click()
    expect(family.get_by_role("heading", level=1)).to_contain_text(lina)
    family.get_by_role("button", name=french("Cancel this day")).click()
    expect_step(family, "Summary")
    cancellation = family.get_by_role("row").filter(has_text=period(first_day))
    expect(cancellation).to_contain_text(french("Cancellation"))
    cancellation_order = validate_basket(family)
    line = receipt_row(family, lina, first_day)
    expect(line).to_contain_text(french("Cancellation"))
    expect(line).to_contain_text(french("Cancelled"))
    family.get_by_role("navigation", name=french("Reservations")).get_by_role(
        "link", name=french("My calendar")
    ).click()
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


# --- Guide 001 ------------------------------------------------------------------------------


def test_periodic_booking_on_odd_weeks_is_validated_at_once(guide_001, chromium):
    world, site = guide_001, guide_001.site
    assert world.odd_weeks and world.even_weeks  # four weeks: both kinds of weeks
    family = new_page(chromium, DESKTOP)

    parent_logs_in(family, site, world.email)
    open_hub(family).get_by_role("link", name=french("Book"), exact=True).click()
    choose_participants(family, [world.child])
    choose_activity(family, world.activity)

    # « Réservation périodique »: four weeks of Wednesdays, odd weeks only.
    periodic = family.get_by_role("region", name=french("Periodic booking"))
    periodic.get_by_label(french("Start date")).fill(world.start.isoformat())
    periodic.get_by_label(french("End date")).fill(world.end.isoformat())
    expect(
        periodic.get_by_role("group", name=french("Days of the week")).get_by_label(
            french("Wednesday")
        )
    ).to_be_checked()
    periodic.get_by_role("group", name=french("Week type")).get_by_label(
        french("Odd weeks")
    ).check()
    expect(
        periodic.get_by_role("group", name=french("Units")).get_by_role("checkbox")
    ).to_be_checked()
    periodic.get_by_role("button", name=french("Add these days to the basket")).click()
    expect(family.get_by_role("status")).to_contain_text(
        french_count(
            "%(count)s day added to your basket.",
            "%(count)s days added to your basket.",
            len(world.odd_weeks),
        )
    )

    # The basket holds exactly the Wednesdays of odd ISO weeks.
    go_to_basket(family, len(world.odd_weeks))
    lines = family.get_by_role("main").get_by_role("row").filter(has_text=UNIT)
    expect(lines).to_have_count(len(world.odd_weeks))
    for day in world.odd_weeks:
        expect(lines.filter(has_text=period(day))).to_have_count(1)
    for day in world.even_weeks:
        expect(lines.filter(has_text=period(day))).to_have_count(0)

    # « Valider »: validated at once.
    number = validate_basket(family)
    for day in world.odd_weeks:
        expect(receipt_row(family, world.child, day)).to_contain_text(french("Validated"))
    expect(family.get_by_role("main")).to_contain_text(french("Processed"))

    # « Alertes »: the order received.
    portal_menu = family.get_by_role("navigation", name=french("Family portal"))
    portal_menu.get_by_role("link", name=re.compile(re.escape(french("Alerts")))).click()
    expect(
        family.get_by_role("main").get_by_role(
            "heading",
            name=f"{french('new')} {french('Order no. %(number)s received', number=number)}",
            exact=True,
        )
    ).to_be_visible()
    family.context.close()

    assert len(receipts_to(world.email, number)) == 1


# --- Guide 004 ------------------------------------------------------------------------------


def test_registration_then_booking_and_what_is_missing(guide_004, chromium):
    world, site = guide_004, guide_004.site
    family = new_page(chromium, PHONE, is_mobile=True, has_touch=True)
    lina = world.lina

    # « Nouvelle inscription » for Lina: the activity opens at once.
    parent_logs_in(family, site, world.email)
    open_hub(family).get_by_role("link", name=french("New registration")).click()
    family.get_by_label(world.lina_full, exact=True).check()
    family.get_by_role("button", name=french("Show the activities")).click()
    activity = family.get_by_role("listitem").filter(
        has=family.get_by_role("heading", name=world.activity, exact=True)
    )
    expect(activity).to_contain_text(french("validated at once"))
    activity.get_by_role("button", name=re.compile(f"^{re.escape(french('Register'))}")).click()
    expect(family.get_by_role("status")).to_contain_text(
        french(
            "%(child)s is registered to %(activity)s: the registration is validated.",
            child=lina,
            activity=world.activity,
        )
    )
    expect(activity).to_contain_text(french("Already registered:"))
    expect(activity).to_contain_text(french("Validated"))

    # Then a day, within the "before the 20th of the previous month" rule.
    activity.get_by_role("link", name=french("Book days")).click()
    choose_participants(family, [lina])
    choose_activity(family, world.activity)
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
    family.get_by_role("button", name=f"{french('Add to basket')} – {UNIT}").click()
    go_to_basket(family, 1)
    line = family.get_by_role("row").filter(has_text=period(world.day))
    expect(line).to_contain_text(euros(PRICE))
    number = validate_basket(family)
    expect(receipt_row(family, lina, world.day)).to_contain_text(french("Validated"))
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
