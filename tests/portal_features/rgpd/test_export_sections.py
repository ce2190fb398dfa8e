"""The export has what reservations and invoicing registered: enrolments, registrations,
reservations with their history, orders, absences with their certificates, invoices and
payments; and nothing of another family."""

import io
import json
import zipfile

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal_features.rgpd.selectors import family_export_data
from portal_features.rgpd.services import data_export_archive

from .conftest import CERTIFICATE

pytestmark = pytest.mark.django_db


def test_the_sections_of_the_apps_above_are_in_the_data(life):
    data, _files = family_export_data(family=life.family)

    (enrolment,) = data["enrolments"]
    assert enrolment["child"] == str(life.child)
    assert enrolment["school_year"] == life.world.activity.school_year.name
    assert enrolment["status"]["code"] == life.child.enrolments.get().status
    (registration,) = data["registrations"]
    assert registration["activity"] == life.world.activity.name
    assert registration["group"] == life.world.group.name
    booked, absent = data["reservations"]
    assert booked["day"] == life.reservation.day
    assert booked["unit"] == life.world.unit.name
    assert booked["status"]["code"] == "accepted"
    assert booked["attendance"]["code"] == "present"
    assert [(step["from"], step["to"]) for step in booked["history"]] == [
        ("", "requested"),
        ("requested", "accepted"),
    ]
    assert [step["note"] for step in booked["history"]] == ["demande", ""]
    (order,) = data["orders"]
    assert order["number"] == "2026-00042"
    assert [line["reservation"] for line in order["lines"]] == [life.reservation.pk, absent["id"]]
    (absence,) = data["absences"]
    assert absence["reason"]["code"] == "illness"
    assert absence["comment"] == "Gastro-entérite"
    assert absence["status"]["code"] == "excused"
    assert absence["original_name"] == "certificat-medical.pdf"
    (invoice,) = data["invoices"]
    assert invoice["number"] == "F-2026-000007"
    assert str(invoice["total"]) == "12.20"
    assert invoice["lines"][0]["label"] == "Mercredi"
    (payment,) = data["payments"]
    assert payment["number"] == "R-2026-000003"
    assert payment["mode"]["code"] == "cheque"


def test_the_certificate_is_in_the_archive_byte_for_byte(life):
    with data_export_archive(family=life.family, now=timezone.now()) as archive_file:
        archive = zipfile.ZipFile(io.BytesIO(archive_file.read()))
    data = json.loads(archive.read("data.json"))

    (absence,) = data["absences"]
    assert absence["file"] == "files/certificates/certificat-medical.pdf"
    assert archive.read(absence["file"]) == CERTIFICATE
    assert data["reservations"][0]["history"][1]["by"] == _("Staff of the commune")


def test_another_familys_rows_are_left_out(life):
    other, _guardian, (other_child,) = life.world.add_family()

    data, files = family_export_data(family=other)

    assert [row["child"] for row in data["enrolments"]] == [str(other_child)]
    assert data["reservations"] == data["orders"] == data["absences"] == []
    assert data["invoices"] == data["payments"] == []
    assert files == []
