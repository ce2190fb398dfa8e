"""The quotient familial as dated records: recorded from a family's request or by staff,
never overwritten, read as of any day; and each household's custody rhythm."""

import datetime
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation

from cms.staff_groups import ENFANCE, ensure_staff_groups
from portal_features.change_requests.display import change_rows
from portal_features.change_requests.services import (
    change_request_accept,
    change_request_submit,
)
from portal_features.custody import household_on
from portal_features.models import ChangeRequest, ChildMembership, FamilyEvent, QuotientRecord
from portal_features.quotients.selectors import quotient_on, quotients_for
from portal_features.quotients.services import QuotientError, quotient_record_add
from tests.factories import (
    ChildFactory,
    FamilyFactory,
    GuardianFactory,
    PortalPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal
SEPTEMBER = datetime.date(2026, 9, 1)
JANUARY = datetime.date(2027, 1, 1)


@pytest.fixture
def family():
    return FamilyFactory(name="DUPONT")


def add(family, value, start, end=None, source="caf", **kwargs):
    return quotient_record_add(
        family=family, value=D(value), valid_from=start, valid_until=end, source=source, **kwargs
    )


def in_force(family):
    return list(
        QuotientRecord.objects.filter(family=family)
        .in_force()
        .order_by("valid_from")
        .values_list("value", "valid_from", "valid_until", "source")
    )


def test_a_new_qf_replaces_the_open_one_from_its_date_and_keeps_the_days_before(family):
    add(family, "650", SEPTEMBER)

    add(family, "720", JANUARY, source="attestation")

    assert in_force(family) == [
        (D("650.00"), SEPTEMBER, datetime.date(2026, 12, 31), "caf"),
        (D("720.00"), JANUARY, None, "attestation"),
    ]
    assert QuotientRecord.objects.filter(family=family, superseded_at__isnull=False).count() == 1
    assert quotient_on(family=family, day=datetime.date(2026, 12, 31)).value == D("650.00")
    assert quotient_on(family=family, day=JANUARY).value == D("720.00")


def test_a_qf_within_another_period_splits_it_in_three(family):
    add(family, "650", SEPTEMBER, datetime.date(2027, 8, 31))

    add(family, "900", JANUARY, datetime.date(2027, 3, 31), source="staff")

    assert in_force(family) == [
        (D("650.00"), SEPTEMBER, datetime.date(2026, 12, 31), "caf"),
        (D("900.00"), JANUARY, datetime.date(2027, 3, 31), "staff"),
        (D("650.00"), datetime.date(2027, 4, 1), datetime.date(2027, 8, 31), "caf"),
    ]


def test_records_as_known_at_a_past_instant_are_still_readable(family):
    first_at = timezone.now() - datetime.timedelta(days=30)
    add(family, "650", SEPTEMBER, now=first_at)
    billed_at = timezone.now() - datetime.timedelta(days=10)

    add(family, "720", SEPTEMBER)  # a correction over the whole period

    day = datetime.date(2026, 11, 25)
    assert quotient_on(family=family, day=day).value == D("720.00")
    assert quotient_on(family=family, day=day, known_at=billed_at).value == D("650.00")
    assert quotient_on(family=family, day=day, known_at=first_at - datetime.timedelta(1)) is None
    known = quotients_for(family_ids=[family.pk], start=SEPTEMBER, end=JANUARY, known_at=billed_at)
    assert [record.value for record in known[family.pk]] == [D("650.00")]


def test_a_qf_ending_before_it_starts_is_refused_next_to_its_end(family):
    with translation.override("fr"), pytest.raises(QuotientError) as caught:
        add(family, "650", JANUARY, SEPTEMBER)

    assert caught.value.field == "valid_until"
    assert str(caught.value) == "La fin de validité ne peut pas précéder son début."
    assert not QuotientRecord.objects.exists()


def test_clean_names_the_record_a_period_overlaps(family):
    add(family, "650", SEPTEMBER, datetime.date(2027, 8, 31))
    record = QuotientRecord(family=family, value=700, valid_from=JANUARY, source="staff")

    with translation.override("fr"), pytest.raises(Exception) as caught:
        record.full_clean()

    assert caught.value.message_dict == {
        "valid_from": [
            "Cette période chevauche le quotient 650,00 valide du 01/09/2026 au 31/08/2027."
        ]
    }


def test_each_record_is_logged_on_the_file(family):
    staff = UserFactory()

    add(family, "650", SEPTEMBER, source="staff", actor=staff)

    event = FamilyEvent.objects.get(family=family)
    assert event.actor == staff
    assert event.data == {
        "value": "650.00",
        "valid_from": "2026-09-01",
        "valid_until": None,
        "source": "staff",
    }


# --- The family asks, staff accept ------------------------------------------------------


@pytest.fixture
def portal(home_page):
    return PortalPageFactory(parent=home_page)


@pytest.fixture
def guardian(family):
    return GuardianFactory(family=family)


def test_the_family_file_shows_the_qf_of_today_and_the_next_one(client, portal, guardian):
    today = timezone.localdate()
    add(guardian.family, "612.50", today - datetime.timedelta(days=30))
    add(guardian.family, "700", today + datetime.timedelta(days=10))
    client.force_login(guardian.user)

    html = client.get(portal.url + "family/").content.decode()

    assert "612,50" in html and "700,00" in html
    assert "nouvel ordre" in html
    assert portal.url + "family/quotient/" in html


def test_a_new_qf_sent_by_the_family_becomes_a_record_once_accepted(client, portal, guardian):
    add(guardian.family, "650", SEPTEMBER)
    client.force_login(guardian.user)

    response = client.post(
        portal.url + "family/quotient/",
        {"value": "720,00", "valid_from": "01/01/2027", "valid_until": ""},
    )

    assert response.status_code == 302, response.context["form"].errors
    request = ChangeRequest.objects.get(family=guardian.family)
    assert request.changes == {
        "__action__": "create:quotientrecord",
        "value": [None, "720.00"],
        "valid_from": [None, "2027-01-01"],
        "valid_until": [None, None],
    }
    with translation.override("fr"):
        assert [row.label for row in change_rows(request)] == [
            "Quotient familial",
            "Valide du",
            "Valide jusqu'au",
        ]
    assert in_force(guardian.family) == [(D("650.00"), SEPTEMBER, None, "caf")]

    change_request_accept(change_request=request, actor=UserFactory())

    assert in_force(guardian.family) == [
        (D("650.00"), SEPTEMBER, datetime.date(2026, 12, 31), "caf"),
        (D("720.00"), JANUARY, None, "attestation"),
    ]


def test_the_qf_form_says_what_is_wrong_next_to_the_field(client, portal, guardian):
    client.force_login(guardian.user)

    response = client.post(
        portal.url + "family/quotient/",
        {"value": "-3", "valid_from": "01/01/2027", "valid_until": "01/12/2026"},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"value", "valid_until"}
    assert not ChangeRequest.objects.exists()


def test_a_qf_request_is_attached_to_the_family_only():
    family = FamilyFactory()
    child = ChildFactory(family=family)

    with pytest.raises(ValueError):
        change_request_submit(
            family=family,
            target=child,
            changes={"value": D("1")},
            user=None,
            summary="QF",
            action="create",
            model="quotientrecord",
        )


def test_a_request_decided_before_the_qf_became_records_still_reads(family):
    from django.contrib.contenttypes.models import ContentType

    old = ChangeRequest.objects.create(
        family=family,
        target_type=ContentType.objects.get_for_model(family),
        target_id=family.pk,
        summary="QF",
        changes={"quotient": ["500.00", "650.00"]},
        status="accepted",
    )

    with translation.override("fr"):
        (row,) = change_rows(old)

    assert (row.label, row.old, row.new) == ("Quotient familial", "500.00", "650.00")


# --- Staff ------------------------------------------------------------------------------


@pytest.fixture
def enfance(client):
    ensure_staff_groups()
    user = UserFactory()
    user.groups.add(Group.objects.get(name=ENFANCE))
    client.force_login(user)
    return client


def test_staff_record_a_qf_from_the_file_and_read_the_records(enfance, family):
    add(family, "650", SEPTEMBER)
    url = reverse("portal_features_family_modeladmin_quotient", args=[family.pk])

    page = enfance.get(url)
    refused = enfance.post(
        url, {"value": "800", "valid_from": "01/01/2027", "valid_until": "01/12/2026"}
    )
    saved = enfance.post(url, {"value": "800", "valid_from": "01/01/2027", "valid_until": ""})
    file = enfance.get(reverse("portal_features_family_modeladmin_inspect", args=[family.pk]))

    assert page.status_code == 200
    assert refused.status_code == 200 and "valid_until" in refused.context["form"].errors
    assert saved.status_code == 302
    assert in_force(family)[-1] == (D("800.00"), JANUARY, None, "staff")
    html = file.content.decode()
    assert "800,00" in html or "800.00" in html
    assert "Saisi par le service" in html and url in html


# --- Custody ----------------------------------------------------------------------------


def shared_child(mother_rhythm="none", father_rhythm="none", **weekdays):
    mother, father = FamilyFactory(name="BERNARD"), FamilyFactory(name="ROUSSEL")
    child = ChildFactory(family=mother)
    ChildMembership.objects.filter(child=child).update(
        custody=mother_rhythm, custody_weekdays=weekdays.get("mother", [])
    )
    ChildMembership.objects.create(
        child=child,
        family=father,
        custody=father_rhythm,
        custody_weekdays=weekdays.get("father", []),
    )
    return child, mother, father


ODD_MONDAY = datetime.date(2027, 1, 4)  # ISO week 1
EVEN_MONDAY = datetime.date(2027, 1, 11)  # ISO week 2


@pytest.mark.parametrize(
    ("mother", "father", "weekdays", "day", "payer"),
    [
        ("odd_weeks", "even_weeks", {}, ODD_MONDAY, "mother"),
        ("odd_weeks", "even_weeks", {}, EVEN_MONDAY, "father"),
        # One rhythm given: the other household has the remaining days.
        ("odd_weeks", "none", {}, EVEN_MONDAY, "father"),
        ("none", "even_weeks", {}, ODD_MONDAY, "mother"),
        ("weekdays", "weekdays", {"mother": [0, 1], "father": [2, 3, 4]}, ODD_MONDAY, "mother"),
        (
            "weekdays",
            "weekdays",
            {"mother": [0, 1], "father": [2, 3, 4]},
            EVEN_MONDAY + datetime.timedelta(days=2),
            "father",
        ),
        # Nothing decides: staff choose.
        ("none", "none", {}, ODD_MONDAY, None),
        ("odd_weeks", "odd_weeks", {}, ODD_MONDAY, None),
        (
            "weekdays",
            "weekdays",
            {"mother": [0], "father": [1]},
            ODD_MONDAY + datetime.timedelta(days=5),
            None,
        ),
    ],
)
def test_the_household_of_a_shared_child_on_a_day(mother, father, weekdays, day, payer):
    child, mother_family, father_family = shared_child(mother, father, **weekdays)

    found = household_on(child=child, day=day)

    assert found == {"mother": mother_family, "father": father_family, None: None}[payer]


def test_a_child_of_one_household_is_always_with_it():
    family = FamilyFactory()
    child = ChildFactory(family=family)

    assert household_on(child=child, day=ODD_MONDAY) == family


def test_staff_set_the_custody_rhythm_of_each_household(enfance):
    child, mother, father = shared_child()
    url = reverse("portal_features_child_modeladmin_custody", args=[child.pk])
    membership = ChildMembership.objects.get(child=child, family=father)

    refused = enfance.post(url, {"membership": membership.pk, "custody": "weekdays"})
    saved = enfance.post(
        url,
        {"membership": membership.pk, "custody": "weekdays", "custody_weekdays": ["4", "2"]},
    )
    file = enfance.get(reverse("portal_features_family_modeladmin_inspect", args=[mother.pk]))

    assert refused.status_code == 200
    assert any(form.errors for form in refused.context["forms"])
    assert saved.status_code == 302
    membership.refresh_from_db()
    assert (membership.custody, membership.custody_weekdays) == ("weekdays", [2, 4])
    assert household_on(child=child, day=EVEN_MONDAY + datetime.timedelta(days=2)) == father
    assert FamilyEvent.objects.filter(family=father, data__custody__isnull=False).exists()
    assert "mercredi, vendredi" in file.content.decode()


# --- « Mes données » --------------------------------------------------------------------


def test_the_data_export_holds_every_qf_record(client, portal, guardian):
    add(guardian.family, "650", SEPTEMBER)
    add(guardian.family, "720", JANUARY)
    client.force_login(guardian.user)
    client.post(portal.url + "my-data/")
    export = guardian.family.data_exports.get()

    response = client.get(f"{portal.url}my-data/{export.pk}/download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))

    values = [
        (q["value"], q["valid_from"], q["valid_until"], q["replaced_at"] is None)
        for q in data["quotients"]
    ]
    assert sorted(values, key=str) == sorted(
        [
            ("650.00", "2026-09-01", None, False),
            ("650.00", "2026-09-01", "2026-12-31", True),
            ("720.00", "2027-01-01", None, True),
        ],
        key=str,
    )
    assert "quotient" not in data["family"]
