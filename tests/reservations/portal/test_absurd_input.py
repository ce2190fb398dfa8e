"""Absurd months, days and ids in addresses and forms: a 404 or a French message, never a 500.

9999-12 is a valid month for Python but has no next month; 0001-01 no previous one; a day
such as 9999-12-31 breaks every period computed around it; an id beyond 2**63 − 1 fits
neither SQLite's INTEGER nor PostgreSQL's bigint. Each screen that reads a month, a day or an
id from its address or its form is driven here with such values, as a family or as staff.
"""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import Resolver404, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from wagtail.models import Site

from cms.models import CommuneSettings
from core.bounds import MAX_ID, parse_day, parse_id, parse_month
from portal_features.models import ChangeRequest, SupportingDocument
from portal_features.models.portal_page import PORTAL_URLCONF
from portal_features.portal.urls import portal_path
from reservations.models import BasketItem
from tests import factories
from tests.portal_features.portal.test_isolation import PATTERNS_WITH_IDS as PATTERNS_WITH_KEYS

from ..conftest import NOW, WEDNESDAY

pytestmark = pytest.mark.django_db

# The addresses whose every argument is a database id (`<id:…>`); a payment request's
# number has its own converter, tested below.
PATTERNS_WITH_IDS = [
    pattern
    for pattern in PATTERNS_WITH_KEYS
    if all(part.startswith("id:") for part in re.findall(r"<([^>]+)>", pattern.route))
]
HUGE = "99999999999999999999"  # 2**66 and a bit
JUST_TOO_BIG = str(MAX_ID + 1)
ABSURD_MONTHS = ["9999-12", "0001-01", "10000-01", "0000-01", "2026-13", "garbage", f"{HUGE}-01"]
ABSURD_DAYS = ["9999-12-31", "0001-01-01", "10000-01-01", "2026-02-30", "garbage"]
# Days a form refuses with the window's message (the others are not dates at all).
FAR_DAYS = ["9999-12-31", "0001-01-01"]
MONTH_MESSAGE = "Ce mois ne peut pas être affiché"
DATE_MESSAGES = ("Saisissez une date entre le 01/01/1926 et le 31/12/2126", "Saisissez une date")


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- The helpers themselves ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1), (str(MAX_ID), MAX_ID), (JUST_TOO_BIG, None), (HUGE, None), ("0", None)]
    + [("-3", None), ("3.0", None), ("", None), (None, None), ("١٢", None), (" 7 ", 7)],
)
def test_parse_id_keeps_what_the_database_can_hold(value, expected):
    assert parse_id(value) == expected


TODAY = datetime.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-11", datetime.date(2026, 11, 1)), ("2126-12", datetime.date(2126, 12, 1))]
    + [("1926-01", datetime.date(1926, 1, 1)), ("2127-01", None), ("1925-12", None)]
    + [(month, None) for month in ABSURD_MONTHS],
)
def test_parse_month_keeps_the_months_within_a_hundred_years(value, expected):
    assert parse_month(value, today=TODAY) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-11-25", datetime.date(2026, 11, 25)), ("2126-12-31", datetime.date(2126, 12, 31))]
    + [(day, None) for day in ABSURD_DAYS],
)
def test_parse_day_keeps_the_days_within_a_hundred_years(value, expected):
    assert parse_day(value, today=TODAY) == expected


# --- The family's screens -------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def portal(home_page):
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    return factories.PortalPageFactory(parent=home_page)


@pytest.fixture
def url(portal):
    def build(name, query="", **kwargs):
        address = portal.url + portal_path(f"reservations:{name}", **kwargs)
        return f"{address}?{query}" if query else address

    return build


@pytest.fixture
def parent(client, world, clock, portal):
    client.force_login(world.guardian.user)
    return client


@pytest.mark.parametrize("month", ABSURD_MONTHS)
def test_the_calendar_shows_this_month_and_says_why(parent, url, month):
    response = parent.get(url("calendar", f"month={month}"))

    assert response.status_code == 200
    assert response.context["month"] == datetime.date(2026, 11, 1)
    assert MONTH_MESSAGE in response.content.decode()


@pytest.mark.parametrize("month", ABSURD_MONTHS)
def test_the_calendar_pdf_of_an_absurd_month_is_not_found(parent, url, month):
    assert parent.get(url("calendar_pdf", f"month={month}")).status_code == 404


@pytest.mark.parametrize("month", ABSURD_MONTHS)
def test_the_planning_shows_a_month_to_book_and_says_why(parent, url, world, month):
    query = f"child={world.child.pk}&activity={world.activity.pk}&month={month}"

    response = parent.get(url("booking_planning", query))

    assert response.status_code == 200
    assert response.context["calendar"].month == datetime.date(2026, 11, 1)
    assert MONTH_MESSAGE in response.content.decode()


def test_the_last_month_of_the_window_is_shown_without_a_message(parent, url):
    response = parent.get(url("calendar", "month=2126-12"))

    assert response.status_code == 200
    assert response.context["month"] == datetime.date(2126, 12, 1)
    assert MONTH_MESSAGE not in response.content.decode()


def periodic(client, world, url, **fields):
    data = {
        "child": [world.child.pk],
        "activity": world.activity.pk,
        "units": [world.unit.pk],
        "weekdays": [2],
        "parity": "every",
        "month": "2026-12",
        **fields,
    }
    return client.post(url("basket_periodic"), data)


@pytest.mark.parametrize("field", ["start", "end"])
@pytest.mark.parametrize("day", ABSURD_DAYS)
def test_a_periodic_booking_on_an_absurd_day_is_refused_next_to_the_field(
    parent, world, url, field, day
):
    dates = {"start": "2026-12-01", "end": "2026-12-31", field: day}

    response = periodic(parent, world, url, **dates)

    assert response.status_code == 200
    (error,) = response.context["periodic_form"].errors[field]
    assert error.startswith(DATE_MESSAGES)
    assert error in response.content.decode()
    assert not BasketItem.objects.exists()


def test_a_periodic_booking_starting_9999_12_01_is_refused(parent, world, url):
    response = periodic(parent, world, url, start="9999-12-01", end="9999-12-31", month="9999-12")

    assert response.status_code == 200
    assert response.context["periodic_form"].errors["start"] == [
        "Saisissez une date entre le 01/01/1926 et le 31/12/2126."
    ]
    assert not BasketItem.objects.exists()


@pytest.mark.parametrize("day", ABSURD_DAYS)
@pytest.mark.parametrize("as_cell", [False, True], ids=["days", "cell"])
def test_a_basket_day_far_away_is_refused_with_a_message(parent, world, url, day, as_cell):
    data = {"unit": world.unit.pk}
    if as_cell:
        data["cell"] = f"{world.child.pk}:{day}"
    else:
        data.update(child=world.child.pk, days=day)

    response = parent.post(url("basket_add"), data, follow=True)

    assert response.status_code == 200
    (message,) = messages_of(response)
    if day in FAR_DAYS:
        assert message == "Saisissez une date entre le 01/01/1926 et le 31/12/2126."
    else:
        assert message in (
            f"« {day} » n'est pas une date (format attendu : AAAA-MM-JJ).",
            "Ce choix n'est pas valide.",
        )
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not BasketItem.objects.exists()


def with_ids(pattern, number) -> str:
    """The portal address of `pattern` with every id `number` (built with a stand-in, since
    reverse() checks the converter too)."""
    return portal_path(pattern.name, **dict.fromkeys(pattern.kwargs, 424242)).replace(
        "424242", str(number)
    )


def test_a_payment_request_number_that_is_not_one_matches_no_address(parent, portal):
    base = portal.url + portal_path("invoicing:payments") + "return/"
    for number in (HUGE, JUST_TOO_BIG, "DP-ALSH-2026-1", "../../admin"):
        assert parent.get(f"{base}{number}/").status_code == 404
        assert parent.post(f"{base}{number}/", {}).status_code == 404
    assert (
        resolve(
            "/" + portal_path("invoicing:payment_return", request_number="DP-ALSH-2026-000042"),
            urlconf=PORTAL_URLCONF,
        ).url_name
        == "payment_return"
    )


def test_the_portal_addresses_refuse_an_id_the_database_cannot_hold():
    """At the resolver: `<id:…>` takes 2**63 − 1 and no more."""
    for pattern in PATTERNS_WITH_IDS:
        fits = "/" + with_ids(pattern, MAX_ID)
        assert resolve(fits, urlconf=PORTAL_URLCONF).url_name == pattern.name.split(":")[-1]
        with pytest.raises(Resolver404):
            resolve("/" + with_ids(pattern, JUST_TOO_BIG), urlconf=PORTAL_URLCONF)


OUR_APPS = ("cms.", "news.", "documents_library.", "portal_features.", "reservations.")


def _patterns(resolver):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry)
        else:
            yield entry


def test_our_addresses_take_ids_through_the_id_converter():
    """`<int:…>` would let 2**64 reach the database: ours use `<id:…>`."""
    patterns = [*_patterns(get_resolver()), *_patterns(get_resolver(PORTAL_URLCONF))]
    ours = [
        pattern
        for pattern in patterns
        if getattr(pattern.callback, "__module__", "").startswith(OUR_APPS)
    ]
    assert any(isinstance(pattern.pattern, RoutePattern) for pattern in ours)
    offending = [
        str(pattern.pattern)
        for pattern in ours
        if isinstance(pattern.pattern, RoutePattern)
        and any(isinstance(c, IntConverter) for c in pattern.pattern.converters.values())
    ]
    assert offending == []


@pytest.mark.parametrize("pattern", PATTERNS_WITH_IDS, ids=lambda pattern: pattern.name)
@pytest.mark.parametrize("number", [JUST_TOO_BIG, HUGE])
def test_every_portal_address_with_a_huge_id_is_not_found(parent, portal, pattern, number):
    address = portal.url + with_ids(pattern, number)

    assert parent.get(address).status_code == 404
    assert parent.post(address, {}).status_code == 404


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("booking_start", f"child={HUGE}"),
        ("booking_activities", f"child={HUGE}"),
        ("booking_activities", f"child={JUST_TOO_BIG}"),
        ("booking_planning", f"child={HUGE}&activity=1"),
        ("booking_planning", "child={child}&activity=" + HUGE),
    ],
)
def test_a_huge_id_in_the_wizard_query_is_not_found(parent, url, world, name, query):
    response = parent.get(url(name, query.format(child=world.child.pk)))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "fields",
    [
        {"unit": HUGE, "child": "{child}", "days": "2026-12-02"},
        {"unit": "{unit}", "child": HUGE, "days": "2026-12-02"},
        {"unit": "{unit}", "cell": f"{HUGE}:2026-12-02"},
    ],
    ids=["unit", "child", "cell"],
)
def test_a_huge_id_in_the_basket_form_gives_a_message(parent, url, world, fields):
    data = {
        key: value.format(child=world.child.pk, unit=world.unit.pk) for key, value in fields.items()
    }

    response = parent.post(url("basket_add"), data, follow=True)

    assert response.status_code == 200
    assert messages_of(response)
    assert not BasketItem.objects.exists()


@pytest.mark.parametrize("name", ["child", "activity"])
def test_a_huge_id_in_the_periodic_form_is_not_found(parent, world, url, name):
    response = periodic(parent, world, url, start="2026-12-01", end="2026-12-31", **{name: [HUGE]})

    assert response.status_code == 404


def test_a_child_edit_with_a_birth_date_far_away_is_refused_next_to_the_field(
    parent, portal, world
):
    address = portal.url + portal_path("family_file:child_edit", child_id=world.child.pk)
    form = parent.get(address).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["birth_date"] = "9999-12-31"

    response = parent.post(address, data)

    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"] == [
        "Saisissez une date entre le 01/01/1926 et le 31/12/2126."
    ]
    assert not ChangeRequest.objects.exists()


# --- Staff screens ---------------------------------------------------------------------------


@pytest.fixture
def staff(client, world, clock):
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    return client


def slot_day(world) -> str:
    return WEDNESDAY.isoformat()


@pytest.mark.parametrize("day", ABSURD_DAYS)
@pytest.mark.parametrize("span", ["week", "month"])
def test_occupancy_around_an_absurd_day_says_why(staff, world, day, span):
    response = staff.get(
        reverse("reservations_occupancy"),
        {"activity": world.activity.pk, "span": span, "day": day},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["day"][0].startswith(DATE_MESSAGES)


@pytest.mark.parametrize("day", ABSURD_DAYS)
def test_the_attendance_sheet_of_an_absurd_day_says_why(staff, world, day):
    query = {"day": day, "activity": world.activity.pk, "unit": world.unit.pk}

    response = staff.get(reverse("reservations_attendance"), query)

    assert response.status_code == 200
    assert response.context["form"].errors["day"][0].startswith(DATE_MESSAGES)
    pdf = staff.get(reverse("reservations_attendance_pdf"), query, follow=True)
    assert pdf.status_code == 200
    assert messages_of(pdf) == ["Choisissez d'abord le jour, l'activité et la prestation."]


@pytest.mark.parametrize("number", [HUGE, JUST_TOO_BIG])
def test_the_attendance_sheet_of_a_huge_activity_id_says_why(staff, world, number):
    query = {"day": slot_day(world), "activity": number, "unit": world.unit.pk}

    response = staff.get(reverse("reservations_attendance"), query)

    assert response.status_code == 200
    assert "activity" in response.context["form"].errors


@pytest.mark.parametrize("day", ABSURD_DAYS)
def test_the_kitchen_list_of_an_absurd_day_says_why(staff, world, day):
    response = staff.get(reverse("reservations_kitchen"), {"day": day})

    assert response.status_code == 200
    assert response.context["form"].errors["day"][0].startswith(DATE_MESSAGES)
    assert staff.get(reverse("reservations_kitchen_pdf"), {"day": day}).status_code == 404


@pytest.mark.parametrize("day", ABSURD_DAYS)
def test_a_collective_cancellation_on_an_absurd_day_says_why(staff, world, day):
    response = staff.post(
        reverse("reservations_day_cancel"),
        {"day": day, "reason": "Grève", "activity": world.activity.pk},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["day"][0].startswith(DATE_MESSAGES)


# Lists whose filters take an id from the query string.
ID_FILTERS = [
    ("reservations_queues_enrolments_modeladmin_index", "school_year"),
    ("reservations_queues_registrations_modeladmin_index", "activity"),
    ("reservations_queues_bookings_modeladmin_index", "activity"),
    ("reservations_queues_cancellations_modeladmin_index", "activity"),
    ("reservations_slot_modeladmin_index", "activity"),
    ("reservations_unit_modeladmin_index", "activity"),
    ("reservations_activity_modeladmin_index", "school_year"),
    ("reservations_activity_modeladmin_index", "facility"),
    ("reservations_closure_modeladmin_index", "facility"),
    ("portal_features_thread_modeladmin_index", "service"),
    ("portal_features_supportingdocument_modeladmin_index", "document_type"),
]


@pytest.mark.parametrize(("name", "parameter"), ID_FILTERS)
@pytest.mark.parametrize("number", [HUGE, JUST_TOO_BIG])
def test_a_list_filtered_on_a_huge_id_answers(staff, name, parameter, number):
    """The value is ignored by the filter, or refused and staff sent to the unfiltered list."""
    response = staff.get(reverse(name), {parameter: number})

    if response.status_code == 302:
        assert response.url == reverse(name)
        response = staff.get(response.url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("reservations_queues_enrolments_modeladmin_bulk", "requests"),
        ("portal_features_signuprequest_modeladmin_bulk", "requests"),
        ("portal_features_supportingdocument_modeladmin_bulk", "documents"),
    ],
)
@pytest.mark.parametrize("number", [HUGE, JUST_TOO_BIG])
def test_a_bulk_decision_on_a_huge_id_says_why(staff, world, name, field, number):
    response = staff.post(reverse(name), {field: [number], "decision": "refuse", "reason": "Non"})

    assert response.status_code == 200
    assert field in response.context["form"].errors


@pytest.mark.parametrize("day", FAR_DAYS)
def test_a_document_validated_from_a_day_far_away_is_refused(staff, world, day):
    document = factories.SupportingDocumentFactory(family=world.family)
    address = reverse("portal_features_supportingdocument_modeladmin_validate", args=[document.pk])

    response = staff.post(address, {"valid_from": day})

    assert response.status_code == 200
    assert response.context["form"].errors["valid_from"] == [
        "Saisissez une date entre le 01/01/1926 et le 31/12/2126."
    ]
    document.refresh_from_db()
    assert document.status == SupportingDocument.Status.PENDING
