"""« Mon calendrier »: the printable PDF and the private iCalendar feed."""

import datetime
import io
import re

import pypdf
import pytest

from reservations import ical
from reservations.choices import ReservationStatus as S
from reservations.models import (
    CalendarFeed,
)
from reservations.services import booking

from ...conftest import NOW, WEDNESDAY
from .conftest import (
    DEC_2,
    DEC_9,
    book,
    url,
)

pytestmark = pytest.mark.django_db


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
