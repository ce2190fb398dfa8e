"""« Mon calendrier » in the portal: the month per child with its states, a reservation's
detail and actions (cancel through the basket, withdraw, absence with certificate, offered
place), the printable PDF and the private iCalendar feed."""

import datetime
import io
import re
from pathlib import Path

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.models import Site

from cms.models import CommuneSettings
from core.french import file_size
from portal_features.portal.urls import portal_path
from reservations import ical
from reservations.choices import ReservationStatus as S
from reservations.models import (
    Absence,
    BasketItem,
    CalendarFeed,
    Reservation,
    ReservationEvent,
    ReservationRule,
    Slot,
)
from reservations.selectors.calendar import LABELS, CellState
from reservations.services import basket as basket_services
from reservations.services import booking
from reservations.services.configuration import activity_slots_generate
from tests import factories
from tests.files import pdf_bytes

from ..conftest import NOW, PARIS, WEDNESDAY, make_world

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()
DEC_2, DEC_9, DEC_16, DEC_23 = (datetime.date(2026, 12, day) for day in (2, 9, 16, 23))
NOV_11, NOV_18 = datetime.date(2026, 11, 11), datetime.date(2026, 11, 18)


# --- Fixtures and helpers ---------------------------------------------------------------


class Clock:
    def __init__(self, now):
        self.now = now


@pytest.fixture
def clock(monkeypatch):
    """The portal's "now" for the views (the services read timezone.now())."""
    current = Clock(NOW)
    monkeypatch.setattr(timezone, "now", lambda: current.now)
    return current


@pytest.fixture
def portal(home_page):
    # Created first: the site settings' first save would purge the caches between requests.
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    return factories.PortalPageFactory(parent=home_page)


def url(portal, name, **kwargs) -> str:
    return portal.url + portal_path(f"reservations:{name}", **kwargs)


def with_48h_rule(world):
    """Free cancellation until 48 h before 08:30 on the day (Wednesday → Monday 08:30)."""
    world.activity.rule = ReservationRule.objects.create(
        name=f"48 h {world.activity.pk}",
        cancellation_deadline={"kind": "hours_before", "hours": 48, "start": "08:30"},
    )
    world.activity.save()
    return world


def book(world, family, child, guardian, days, now=NOW):
    basket_services.basket_add_bookings(
        family=family,
        child_id=child.pk,
        unit_id=world.unit.pk,
        days=days,
        user=guardian.user,
        now=now,
    )
    basket_services.basket_submit(family=family, user=guardian.user, now=now)
    return {
        reservation.day: reservation
        for reservation in Reservation.objects.filter(child=child, day__in=days)
    }


@pytest.fixture
def world(clock):
    return with_48h_rule(make_world(capacity=1))


@pytest.fixture
def logged_in(client, portal, world):
    client.force_login(world.guardian.user)
    return client


CELL = re.compile(
    r'<td class="cal__cell cal__cell--(?P<state>\w+)" data-state="(?P=state)" '
    r'title="[^"]*"(?: headers="[^"]*")?>(?P<body>.*?)</td>',
    re.S,
)


def month_cells(response) -> list[tuple[str, str]]:
    """(state, inner html) of the table's cells, in the order of the rows and days."""
    return [(m["state"], m["body"]) for m in CELL.finditer(response.content.decode())]


def cells_by_day(response, month: datetime.date) -> dict:
    cells = month_cells(response)
    days = [month + datetime.timedelta(days=offset) for offset in range(len(cells))]
    return dict(zip(days, cells, strict=True))


def private_files(settings) -> list[Path]:
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


# --- The month calendar -----------------------------------------------------------------


def test_the_month_shows_each_state_with_code_words_and_links(logged_in, portal, world):
    world.activity.booking_validation = "staff"
    world.activity.save()
    staff = factories.UserFactory(is_staff=True)
    other, other_guardian, (other_child,) = world.add_family()
    book(world, other, other_child, other_guardian, [DEC_9])  # takes the only place
    ours = book(world, world.family, world.child, world.guardian, [WEDNESDAY, DEC_2, DEC_9])
    booking.reservation_accept(reservation_id=ours[WEDNESDAY].pk, actor=staff, now=NOW)
    basket_services.basket_add_bookings(
        family=world.family,
        child_id=world.child.pk,
        unit_id=world.unit.pk,
        days=[DEC_16],
        user=world.guardian.user,
        now=NOW,
    )

    november = logged_in.get(url(portal, "calendar"), {"month": "2026-11"})
    assert november.status_code == 200
    cells = cells_by_day(november, datetime.date(2026, 11, 1))
    assert cells[NOV_11][0] == CellState.CLOSED  # Armistice, a public holiday
    assert cells[NOV_18][0] == CellState.OUT_OF_TIME
    state, body = cells[WEDNESDAY]
    assert state == CellState.ACCEPTED
    assert url(portal, "reservation_detail", reservation_id=ours[WEDNESDAY].pk) in body
    assert ">R<" in body and escape(str(LABELS[CellState.ACCEPTED])) in body

    december = logged_in.get(url(portal, "calendar"), {"month": "2026-12"})
    cells = cells_by_day(december, datetime.date(2026, 12, 1))
    assert cells[DEC_2][0] == CellState.REQUESTED and ">DR<" in cells[DEC_2][1]
    assert cells[DEC_9][0] == CellState.WAITING and ">LA<" in cells[DEC_9][1]
    assert url(portal, "reservation_detail", reservation_id=ours[DEC_9].pk) in cells[DEC_9][1]
    assert cells[DEC_16][0] == CellState.IN_BASKET
    assert url(portal, "basket") in cells[DEC_16][1]
    assert cells[DEC_23][0] == CellState.AVAILABLE
    content = december.content.decode()
    # The narrow-screen list says the same in words, and the legend explains every state.
    assert f'<li class="cal-list__entry" data-state="{CellState.WAITING}">' in content
    for state, label in LABELS.items():
        assert f"cal__cell--{state}" in content
        assert escape(str(label)) in content
    assert 'data-basket-count="1"' in content
    assert url(portal, "basket") in content and url(portal, "booking_start") in content
    assert url(portal, "calendar_pdf") + "?month=2026-12" in content
    assert url(portal, "calendar_feed_settings") in content
    assert 'scope="col"' in content and "<caption" in content


def test_month_navigation(logged_in, portal, world):
    response = logged_in.get(url(portal, "calendar"), {"month": "2026-12"})
    content = response.content.decode()
    assert 'href="?month=2026-11" rel="prev"' in content
    assert 'href="?month=2027-01" rel="next"' in content
    assert len(month_cells(response)) == 31
    # ISO weeks 49 to 53 cover December 2026.
    # "Sem. 49" to "Sem. 53": the days of each ISO week within December 2026.
    assert re.findall(r'<th scope="colgroup" colspan="(\d)">', content) == list("67774")

    # No month, or a malformed one: the month of today.
    for value in (None, "2026-13", "décembre"):
        response = logged_in.get(url(portal, "calendar"), {"month": value} if value else {})
        assert response.status_code == 200
        assert response.context["month"] == datetime.date(2026, 11, 1)
        assert len(month_cells(response)) == 30


def test_a_family_without_registration_sees_how_to_register(client, portal, clock):
    guardian = factories.GuardianFactory()
    client.force_login(guardian.user)
    response = client.get(url(portal, "calendar"))
    assert response.status_code == 200
    assert month_cells(response) == []
    assert url(portal, "home") in response.content.decode()


def test_the_calendar_needs_a_login(client, portal):
    response = client.get(url(portal, "calendar"))
    assert response.status_code == 302 and "login" in response["Location"]


# --- Another family's objects -----------------------------------------------------------


def test_another_familys_reservation_and_absence_are_not_found(client, portal, world):
    ours = book(world, world.family, world.child, world.guardian, [WEDNESDAY])[WEDNESDAY]
    absence = Absence.objects.create(
        reservation=ours,
        reason=Absence.Reason.ILLNESS,
        status="declared",
        original_name="certificat.pdf",
        content_type="application/pdf",
    )
    absence.certificate.save("certificate", io.BytesIO(PDF), save=True)
    _other, other_guardian, _kids = world.add_family()
    client.force_login(other_guardian.user)

    # (GET, POST) answers: 404, except a POST to a page that takes none at all (405).
    expected = {
        "reservation_detail": (404, 405),
        "reservation_cancel": (404, 404),
        "absence_declare": (404, 404),
        "offer_accept": (404, 404),
        "offer_decline": (404, 404),
    }
    for name, (get_status, post_status) in expected.items():
        address = url(portal, name, reservation_id=ours.pk)
        assert client.get(address).status_code == get_status, f"GET {name}"
        assert client.post(address, {"reason": "illness"}).status_code == post_status, name
    certificate = url(portal, "absence_certificate", absence_id=absence.pk)
    assert client.get(certificate).status_code == 404
    assert client.post(certificate).status_code == 405
    ours.refresh_from_db()
    assert ours.status == S.ACCEPTED
    assert not BasketItem.objects.exists()

    # The control: the family's own addresses answer (an action refuses a GET).
    client.force_login(world.guardian.user)
    assert client.get(url(portal, "reservation_detail", reservation_id=ours.pk)).status_code == 200
    assert client.get(url(portal, "offer_accept", reservation_id=ours.pk)).status_code == 405
    response = client.get(certificate)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_an_unknown_id_is_not_found(logged_in, portal):
    assert (
        logged_in.get(url(portal, "reservation_detail", reservation_id=999999)).status_code == 404
    )
    assert logged_in.post(url(portal, "offer_accept", reservation_id=999999)).status_code == 404


# --- Detail and cancellation --------------------------------------------------------------


def test_the_detail_shows_the_deadline_the_history_and_the_receipt(logged_in, portal, world):
    reservation = book(world, world.family, world.child, world.guardian, [DEC_2])[DEC_2]
    response = logged_in.get(url(portal, "reservation_detail", reservation_id=reservation.pk))
    content = response.content.decode()
    detail = response.context["detail"]
    assert detail.cancellation_deadline == datetime.datetime(2026, 11, 30, 8, 30, tzinfo=PARIS)
    assert not detail.is_late and detail.cancel_mode == "basket"
    assert not detail.can_declare_absence
    assert url(portal, "reservation_cancel", reservation_id=reservation.pk) in content
    assert url(portal, "absence_declare", reservation_id=reservation.pk) not in content
    assert 'data-status="accepted"' in content
    assert "12,20" in content
    (line,) = detail.history
    assert line.change == f"— → {S.ACCEPTED.label}"
    assert line.by == world.guardian.user.get_full_name()
    order = reservation.order_lines.get().order
    assert url(portal, "order_detail", order_id=order.pk) in content


def test_staff_are_named_by_their_service_in_the_history(logged_in, portal, world):
    world.activity.booking_validation = "staff"
    world.activity.save()
    reservation = book(world, world.family, world.child, world.guardian, [DEC_2])[DEC_2]
    staff = factories.UserFactory(is_staff=True, first_name="Agnès", last_name="Agent")
    booking.reservation_accept(reservation_id=reservation.pk, actor=staff, now=NOW)

    response = logged_in.get(url(portal, "reservation_detail", reservation_id=reservation.pk))
    history = response.context["detail"].history
    assert [line.change for line in history] == [
        f"— → {S.REQUESTED.label}",
        f"{S.REQUESTED.label} → {S.ACCEPTED.label}",
    ]
    assert "Agnès" not in response.content.decode()
    assert history[1].by != history[0].by


def test_cancelling_a_validated_day_puts_it_in_the_basket(logged_in, portal, world):
    reservation = book(world, world.family, world.child, world.guardian, [DEC_2])[DEC_2]

    response = logged_in.post(url(portal, "reservation_cancel", reservation_id=reservation.pk))

    assert response.status_code == 302
    assert response["Location"] == url(portal, "basket")
    item = BasketItem.objects.get(family=world.family)
    assert (item.action, item.day, item.unit_id) == ("cancel", DEC_2, world.unit.pk)
    reservation.refresh_from_db()
    assert reservation.status == S.ACCEPTED  # until the basket is submitted
    calendar = logged_in.get(url(portal, "calendar"), {"month": "2026-12"})
    assert cells_by_day(calendar, DEC_2.replace(day=1))[DEC_2][0] == CellState.CANCEL_IN_BASKET
    detail = logged_in.get(url(portal, "reservation_detail", reservation_id=reservation.pk))
    assert detail.context["detail"].cancellation_in_basket
    assert url(portal, "reservation_cancel", reservation_id=reservation.pk) not in (
        detail.content.decode()
    )


def test_a_waiting_entry_is_withdrawn_at_once(logged_in, portal, world):
    other, other_guardian, (other_child,) = world.add_family()
    book(world, other, other_child, other_guardian, [DEC_2])
    waiting = book(world, world.family, world.child, world.guardian, [DEC_2])[DEC_2]
    assert waiting.status == S.WAITING
    detail_url = url(portal, "reservation_detail", reservation_id=waiting.pk)
    assert logged_in.get(detail_url).context["detail"].cancel_mode == "direct"

    response = logged_in.post(url(portal, "reservation_cancel", reservation_id=waiting.pk))

    assert response.status_code == 302 and response["Location"] == detail_url
    waiting.refresh_from_db()
    assert waiting.status == S.CANCELLED
    assert not BasketItem.objects.exists()
    assert waiting.events.last().to_status == S.CANCELLED


def test_cancelling_a_past_day_says_why_on_the_detail_page(logged_in, portal, world, clock):
    reservation = book(world, world.family, world.child, world.guardian, [WEDNESDAY])[WEDNESDAY]
    clock.now = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=PARIS)

    response = logged_in.post(
        url(portal, "reservation_cancel", reservation_id=reservation.pk), follow=True
    )

    assert response.redirect_chain[-1][0] == url(
        portal, "reservation_detail", reservation_id=reservation.pk
    )
    (message,) = list(response.context["messages"])
    assert message.level_tag == "error"
    assert not BasketItem.objects.exists()


# --- Absences -------------------------------------------------------------------------


def test_an_absence_after_the_deadline_with_a_medical_certificate(logged_in, portal, world):
    reservation = book(world, world.family, world.child, world.guardian, [WEDNESDAY])[WEDNESDAY]
    detail_url = url(portal, "reservation_detail", reservation_id=reservation.pk)
    detail = logged_in.get(detail_url)
    assert detail.context["detail"].is_late  # Monday 10:00, after Monday 08:30
    assert detail.context["detail"].can_declare_absence
    form_url = url(portal, "absence_declare", reservation_id=reservation.pk)
    assert form_url in detail.content.decode()
    assert logged_in.get(form_url).status_code == 200

    response = logged_in.post(
        form_url,
        {
            "reason": "illness",
            "comment": "Fièvre",
            "certificate": SimpleUploadedFile("certificat médical.pdf", PDF, "application/pdf"),
        },
    )

    assert response.status_code == 302 and response["Location"] == detail_url
    absence = Absence.objects.get(reservation=reservation)
    assert (absence.reason, absence.status, absence.comment) == ("illness", "declared", "Fièvre")
    assert absence.original_name == "certificat médical.pdf"
    content = logged_in.get(detail_url).content.decode()
    certificate_url = url(portal, "absence_certificate", absence_id=absence.pk)
    assert certificate_url in content
    download = logged_in.get(certificate_url)
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    calendar = logged_in.get(url(portal, "calendar"), {"month": "2026-11"})
    assert cells_by_day(calendar, datetime.date(2026, 11, 1))[WEDNESDAY][0] == (
        CellState.ABSENCE_DECLARED
    )


def test_an_absence_before_the_deadline_is_refused_and_nothing_is_saved(
    logged_in, portal, world, settings
):
    reservation = book(world, world.family, world.child, world.guardian, [DEC_2])[DEC_2]
    form_url = url(portal, "absence_declare", reservation_id=reservation.pk)

    response = logged_in.post(
        form_url,
        {
            "reason": "illness",
            "certificate": SimpleUploadedFile("certificat.pdf", PDF, "application/pdf"),
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    assert 'role="alert"' in response.content.decode()
    assert not Absence.objects.exists()
    assert private_files(settings) == []


def test_a_certificate_over_the_familys_quota_is_refused_next_to_its_field(
    logged_in, portal, world, settings
):
    settings.FAMILY_STORAGE_QUOTA_MB = 0
    reservation = book(world, world.family, world.child, world.guardian, [WEDNESDAY])[WEDNESDAY]
    form_url = url(portal, "absence_declare", reservation_id=reservation.pk)

    response = logged_in.post(
        form_url,
        {
            "reason": "illness",
            "certificate": SimpleUploadedFile("certificat.pdf", PDF, "application/pdf"),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["certificate"] == [
        gettext(
            "This file does not fit in your family's storage space: %(used)s of "
            "%(quota)s are already used. Please contact the service."
        )
        % {"used": file_size(0), "quota": file_size(0)}
    ]
    assert 'id="id_certificate_error"' in response.content.decode()
    assert not Absence.objects.exists()
    assert private_files(settings) == []


def test_the_absence_form_says_what_is_wrong_next_to_each_field(logged_in, portal, world):
    reservation = book(world, world.family, world.child, world.guardian, [WEDNESDAY])[WEDNESDAY]
    form_url = url(portal, "absence_declare", reservation_id=reservation.pk)

    response = logged_in.post(
        form_url,
        {"certificate": SimpleUploadedFile("photo.pdf", b"<html>not a pdf</html>", "text/html")},
    )

    form = response.context["form"]
    assert set(form.errors) == {"reason", "certificate"}
    content = response.content.decode()
    assert 'id="id_reason_error"' in content and 'id="id_certificate_error"' in content
    assert not Absence.objects.exists()


# --- Offered places ---------------------------------------------------------------------


@pytest.fixture
def offered(world):
    """The family waits on 2 Dec; the other family's cancellation offers it the place."""
    other, other_guardian, (other_child,) = world.add_family()
    theirs = book(world, other, other_child, other_guardian, [DEC_2])[DEC_2]
    ours = book(world, world.family, world.child, world.guardian, [DEC_2])[DEC_2]
    booking.reservation_cancel(
        family=other, reservation_id=theirs.pk, user=other_guardian.user, now=NOW
    )
    ours.refresh_from_db()
    assert ours.status == S.OFFERED
    return ours


def test_accepting_an_offered_place(logged_in, portal, offered):
    detail = logged_in.get(url(portal, "reservation_detail", reservation_id=offered.pk))
    assert detail.context["detail"].can_answer_offer
    assert url(portal, "offer_accept", reservation_id=offered.pk) in detail.content.decode()

    response = logged_in.post(url(portal, "offer_accept", reservation_id=offered.pk))

    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.status == S.ACCEPTED


def test_declining_an_offered_place(logged_in, portal, offered):
    response = logged_in.post(url(portal, "offer_decline", reservation_id=offered.pk))

    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.status == S.DECLINED
    assert offered.slot.booked == 0


def test_an_expired_offer_cannot_be_accepted(logged_in, portal, offered, clock):
    clock.now = offered.offer_expires_at + datetime.timedelta(minutes=1)
    detail = logged_in.get(url(portal, "reservation_detail", reservation_id=offered.pk))
    assert not detail.context["detail"].can_answer_offer

    response = logged_in.post(url(portal, "offer_accept", reservation_id=offered.pk), follow=True)

    (message,) = list(response.context["messages"])
    assert message.level_tag == "error"
    offered.refresh_from_db()
    assert offered.status == S.OFFERED


# --- PDF --------------------------------------------------------------------------------


def test_the_printable_month_is_a_pdf_with_the_childs_name(logged_in, portal, world):
    world.child.first_name = "Léonie"
    world.child.save()
    book(world, world.family, world.child, world.guardian, [WEDNESDAY])

    response = logged_in.get(url(portal, "calendar_pdf"), {"month": "2026-11"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="calendrier-2026-11.pdf"'
    assert response.content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Léonie" in text
    assert world.family.name in text


# --- iCalendar ------------------------------------------------------------------------


def unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def events(lines: list[str]) -> list[dict]:
    found, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, _sep, value = line.partition(":")
            current[name] = value
    return found


def test_the_feed_settings_create_renew_and_revoke(logged_in, portal, world):
    settings_url = url(portal, "calendar_feed_settings")
    assert logged_in.get(settings_url).context["feed"] is None

    assert logged_in.post(settings_url, {"action": "create"}).status_code == 302
    feed = CalendarFeed.objects.get(family=world.family)
    assert len(feed.token) >= 40
    content = logged_in.get(settings_url).content.decode()
    assert f"http://testserver/calendar/{feed.token}.ics" in content
    assert f"webcal://testserver/calendar/{feed.token}.ics" in content

    old = feed.token
    logged_in.post(settings_url, {"action": "create"})
    feed.refresh_from_db()
    assert feed.token != old
    assert logged_in.get(f"/calendar/{old}.ics").status_code == 404
    assert logged_in.get(f"/calendar/{feed.token}.ics").status_code == 200

    logged_in.post(settings_url, {"action": "revoke"})
    assert not CalendarFeed.objects.exists()
    assert logged_in.get(f"/calendar/{feed.token}.ics").status_code == 404
    # Each change of the secret address is on the family's file, by whom and when.
    assert world.family.events.filter(data__subject="calendar_feed").count() == 3
    assert logged_in.get(settings_url).context["feed"] is None


def test_the_feed_lists_live_reservations_in_rfc_5545(client, portal, world):
    world.child.first_name = 'Zoé, dite ; "Zo"'
    world.child.save()
    world.unit.name = "Journée complète avec repas, goûter et sortie à la médiathèque municipale"
    world.unit.save()
    other, other_guardian, (other_child,) = world.add_family()
    book(world, other, other_child, other_guardian, [DEC_9])
    booked = book(world, world.family, world.child, world.guardian, [WEDNESDAY, DEC_2, DEC_9])
    booking.reservation_cancel(
        family=world.family, reservation_id=booked[DEC_2].pk, user=world.guardian.user, now=NOW
    )
    assert (booked[WEDNESDAY].status, booked[DEC_9].status) == (S.ACCEPTED, S.WAITING)
    feed = CalendarFeed.objects.create(family=world.family, token="secret-token-for-the-test")

    response = client.get(f"/calendar/{feed.token}.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content
    body = raw.decode("utf-8")
    assert body.endswith("\r\n")
    assert "\n" not in body.replace("\r\n", "")  # CRLF only
    physical = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in physical)
    assert any(line.startswith(b" ") for line in physical)  # the long summary was folded
    for line in physical:
        line.decode("utf-8")  # a fold never cuts a character in two

    lines = unfold(body)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert "BEGIN:VTIMEZONE" in lines and "TZID:Europe/Paris" in lines
    (event,) = events(lines)  # the cancelled and the waiting days are not in the agenda
    reservation = booked[WEDNESDAY]
    assert event["UID"] == f"reservation-{reservation.pk}@testserver"
    assert event["DTSTART;TZID=Europe/Paris"] == "20261125T083000"
    assert event["DTEND;TZID=Europe/Paris"] == "20261125T173000"
    assert event["STATUS"] == "CONFIRMED"
    assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"])
    assert (
        'SUMMARY:Zoé\\, dite \\; "Zo" – Journée complète' in lines[lines.index("BEGIN:VEVENT") + 5]
    )
    assert unescape(event["SUMMARY"]) == (
        f'Zoé, dite ; "Zo" – {world.unit.name} ({S.ACCEPTED.label})'
    )
    assert event["URL"].endswith(url(portal, "reservation_detail", reservation_id=reservation.pk))


def test_the_feed_keeps_a_uid_per_reservation_and_its_window(client, portal, world, clock):
    book(world, world.family, world.child, world.guardian, [WEDNESDAY, DEC_2])
    feed = CalendarFeed.objects.create(family=world.family, token="another-secret")
    first = events(unfold(client.get(f"/calendar/{feed.token}.ics").content.decode()))
    clock.now = NOW + datetime.timedelta(days=35)  # 25 Nov is now more than 30 days ago
    later = events(unfold(client.get(f"/calendar/{feed.token}.ics").content.decode()))
    assert len(first) == 2
    assert [event["UID"] for event in later] == [first[1]["UID"]]


def test_an_unknown_token_is_not_found(client, world):
    assert client.get("/calendar/nope.ics").status_code == 404
    assert client.get("/calendar/" + "x" * 200 + ".ics").status_code == 404


def test_folding_counts_octets_and_never_cuts_a_character():
    line = "DESCRIPTION:" + "é" * 100 + "x" * 30
    folded = ical.fold(line)
    parts = folded.encode("utf-8").split(b"\r\n")
    assert all(len(part) <= 75 for part in parts)
    assert all(part.startswith(b" ") for part in parts[1:])
    assert folded.replace("\r\n ", "") == line
    assert ical.fold("SUMMARY:short") == "SUMMARY:short"
    assert ical.escape_text('a\\b;c,d\ne "f"') == 'a\\\\b\\;c\\,d\\ne "f"'


# --- Query count ------------------------------------------------------------------------


def _calendar_queries(client, portal, user, month):
    client.force_login(user)
    address = url(portal, "calendar")
    assert client.get(address, {"month": month}).status_code == 200  # warm the caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address, {"month": month})
    assert response.status_code == 200
    return len(queries), response


def test_the_calendar_costs_the_same_queries_for_one_child_or_eight(client, portal, clock):
    activity = factories.ActivityFactory(weekdays=[0, 1, 2, 3, 4])
    units = [
        factories.UnitFactory(activity=activity, name=name, sort_order=order)
        for order, name in enumerate(["Matin", "Midi", "Soir"])
    ]
    group = factories.GroupFactory(activity=activity, capacity=30)
    activity_slots_generate(activity_id=activity.pk)

    def family_with(children):
        family = factories.FamilyFactory()
        guardian = factories.GuardianFactory(family=family)
        kids = []
        for _ in range(children):
            child = factories.ChildFactory(family=family)
            factories.EnrolmentFactory(family=family, child=child, school_year=activity.school_year)
            factories.RegistrationFactory(
                family=family, child=child, activity=activity, group=group
            )
            kids.append(child)
        return family, guardian, kids

    _small, small_guardian, _one = family_with(1)
    large, large_guardian, eight = family_with(8)
    slots = list(
        Slot.objects.filter(unit__in=units, day__month=12, day__year=2026).order_by("day", "pk")
    )
    reservations = Reservation.objects.bulk_create(
        [
            Reservation(
                family=large,
                child=child,
                unit=slot.unit,
                slot=slot,
                day=slot.day,
                status=S.ACCEPTED,
                unit_price="4.50",
            )
            for slot in slots
            for child in eight
        ][:500]
    )
    assert len(reservations) == 500
    ReservationEvent.objects.bulk_create(
        [ReservationEvent(reservation=r, to_status=S.ACCEPTED, at=NOW) for r in reservations]
    )
    Absence.objects.bulk_create(
        [
            Absence(reservation=r, reason=Absence.Reason.ILLNESS, status="excused")
            for r in reservations[:20]
        ]
    )
    cancelled = reservations[100]
    BasketItem.objects.create(
        family=large,
        child=cancelled.child,
        unit=cancelled.unit,
        day=cancelled.day,
        action="cancel",
    )

    small_count, _response = _calendar_queries(client, portal, small_guardian.user, "2026-12")
    large_count, response = _calendar_queries(client, portal, large_guardian.user, "2026-12")

    states = [state for state, _body in month_cells(response)]
    assert states.count(CellState.ACCEPTED) == 479
    assert states.count(CellState.CANCEL_IN_BASKET) == 1
    assert states.count(CellState.ABSENCE_EXCUSED) == 20
    assert large_count == small_count
    assert small_count <= 15


def test_the_detail_writes_its_price_as_every_amount_of_the_portal(logged_in, portal, world):
    reservation = book(world, world.family, world.child, world.guardian, [DEC_2])[DEC_2]

    response = logged_in.get(url(portal, "reservation_detail", reservation_id=reservation.pk))

    assert "<dd>12,20\u00a0€</dd>" in response.content.decode()
