"""The family's private iCalendar feed (RFC 5545), read by calendar applications.

Written by hand: the format is small and the few rules that matter are tested here
(TEXT escaping, CRLF line ends, folding at 75 octets without cutting a UTF-8 character,
local times with TZID and the VTIMEZONE that defines it). The address is secret and
public: no login, the token is the key (see services/feeds.py).
"""

import datetime

from django.http import Http404, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal_features.portal.urls import portal_page_for, portal_reverse

from .choices import ReservationStatus as S
from .eligibility import local_datetime
from .selectors.history import calendar_feed_for_token, feed_reservations

CRLF = "\r\n"
MAX_LINE_OCTETS = 75
TZID = "Europe/Paris"
PRODID = "-//Portail Famille//Reservations//FR"

# The rules of Europe/Paris since 1996 (last Sunday of March / of October), which is all a
# calendar application needs for the dates of the feed.
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "X-LIC-LOCATION:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]

# A held place is confirmed; a request, an offer or a cancellation request may still change.
EVENT_STATUS = {
    S.ACCEPTED: "CONFIRMED",
    S.REQUESTED: "TENTATIVE",
    S.OFFERED: "TENTATIVE",
    S.CANCELLATION_REQUESTED: "TENTATIVE",
}


def escape_text(value) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    text = str(value)
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return text


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets (§3.1): each continuation starts
    with one space, and a multi-byte character is never cut in two."""
    parts, current, size = [], [], 0
    limit = MAX_LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append("".join(current))
            # The continuation's leading space counts in its 75 octets.
            current, size, limit = [" "], 1, MAX_LINE_OCTETS
        current.append(char)
        size += octets
    parts.append("".join(current))
    return CRLF.join(parts)


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(day: datetime.date, time: datetime.time) -> str:
    return f"{day:%Y%m%d}T{time:%H%M%S}"


def event_lines(reservation, *, host: str, now, url: str = "") -> list[str]:
    child, unit = reservation.child, reservation.unit
    activity = unit.activity
    status = reservation.get_status_display()
    description = [activity.name, f"{unit.name} : {status}"]
    if reservation.status == S.OFFERED and reservation.offer_expires_at:
        description.append(
            _("Accept the place before %(date)s.")
            % {"date": local_datetime(reservation.offer_expires_at)}
        )
    facility = activity.facility
    location = ", ".join(part for part in (facility.name, facility.address) if part)
    lines = [
        "BEGIN:VEVENT",
        f"UID:reservation-{reservation.pk}@{host}",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART;TZID={TZID}:{_local(reservation.day, unit.start_time)}",
        f"DTEND;TZID={TZID}:{_local(reservation.day, unit.end_time)}",
        "SUMMARY:" + escape_text(f"{child.first_name} – {unit.name} ({status})"),
        "DESCRIPTION:" + escape_text("\n".join(description)),
        "LOCATION:" + escape_text(location),
        f"STATUS:{EVENT_STATUS.get(reservation.status, 'TENTATIVE')}",
        "TRANSP:OPAQUE",
    ]
    last_change = getattr(reservation, "last_change", None)
    if last_change is not None:
        lines.append(f"LAST-MODIFIED:{_utc(last_change)}")
    if url:
        lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return lines


def calendar_document(*, reservations, host: str, name: str, now, url_for=None) -> str:
    """The whole VCALENDAR, CRLF-terminated, folded."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + escape_text(name),
        f"X-WR-TIMEZONE:{TZID}",
        # Ask applications to refresh hourly (RFC 7986, and the older Microsoft property).
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        *VTIMEZONE,
    ]
    for reservation in reservations:
        url = url_for(reservation) if url_for else ""
        lines.extend(event_lines(reservation, host=host, now=now, url=url))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


@require_safe
def feed_view(request, token):
    """The public address `calendar/<token>.ics`: 404 unless the token is live."""
    feed = calendar_feed_for_token(token)
    if feed is None:
        raise Http404
    family = feed.family
    now = timezone.now()
    host = request.get_host().partition(":")[0]

    def url_for(reservation):
        if portal_page_for(request) is None:
            return ""
        path = portal_reverse(
            request, "reservations:reservation_detail", reservation_id=reservation.pk
        )
        return request.build_absolute_uri(path)

    body = calendar_document(
        reservations=feed_reservations(family=family, now=now),
        host=host,
        name=_("Reservations – %(family)s family") % {"family": family.name},
        now=now,
        url_for=url_for,
    )
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="reservations.ics"'
    # A secret address: never cached by proxies, never indexed.
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# Mounted at "calendar/" by cms/urls.py, outside the portal: calendar applications cannot
# log in, and the address must not move when editors move the portal page.
urlpatterns = [path("<str:token>.ics", feed_view, name="reservations_ical_feed")]
