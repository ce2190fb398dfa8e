"""Supporting documents: the family's checklist and what is missing on a given day."""

import datetime

import pytest

from portal_features.documents.selectors import (
    LineState,
    document_checklist,
    missing_required_documents,
)
from portal_features.models import (
    DocumentType,
)
from tests.factories import (
    ChildFactory,
)

from .conftest import TODAY, Status, make_document

pytestmark = pytest.mark.django_db


# Checklist -------------------------------------------------------------------------------


def test_checklist_states_on_a_fixed_day(family, vaccinations, domicile):
    children = {
        name: ChildFactory(family=family, first_name=name, birth_date=datetime.date(2015, 1, i))
        for i, name in enumerate(
            ["Missing", "Pending", "Valid", "Expiring", "Expired", "Refused"], 1
        )
    }
    make_document(family, vaccinations, children["Pending"])
    make_document(
        family,
        vaccinations,
        children["Valid"],
        status=Status.VALID,
        valid_until=TODAY + datetime.timedelta(days=31),
    )
    make_document(
        family,
        vaccinations,
        children["Expiring"],
        status=Status.VALID,
        valid_until=TODAY + datetime.timedelta(days=30),
    )
    make_document(
        family,
        vaccinations,
        children["Expired"],
        status=Status.VALID,
        valid_from=TODAY - datetime.timedelta(days=400),
        valid_until=TODAY - datetime.timedelta(days=1),
    )
    make_document(family, vaccinations, children["Refused"], status=Status.REFUSED)
    other_type = DocumentType.objects.create(name="Assurance", scope=DocumentType.Scope.FAMILY)
    other = make_document(family, other_type)

    checklist = document_checklist(family, today=TODAY)

    states = {
        (line.document_type.name, line.child and line.child.first_name): line.state
        for line in checklist.lines
    }
    assert states == {
        ("Justificatif de domicile", None): LineState.MISSING,
        ("Vaccinations", "Missing"): LineState.MISSING,
        ("Vaccinations", "Pending"): LineState.PENDING,
        ("Vaccinations", "Valid"): LineState.VALID,
        ("Vaccinations", "Expiring"): LineState.EXPIRING,
        ("Vaccinations", "Expired"): LineState.EXPIRED,
        ("Vaccinations", "Refused"): LineState.REFUSED,
    }
    # What to act on comes first.
    assert [line.state for line in checklist.lines][:2] == [LineState.MISSING, LineState.MISSING]
    assert checklist.other_documents == [other]
    valid_line = next(line for line in checklist.lines if line.state == LineState.VALID)
    assert "05/09/2026" in valid_line.validity and "16/10/2026" in valid_line.validity

    reasons = missing_required_documents(family, on=TODAY)
    assert len(reasons) == 5  # missing ×2, pending, expired, refused
    assert any("Vaccinations – Refused" in reason for reason in reasons)
    assert not any("Vaccinations – Valid" in reason for reason in reasons)
    assert not any("Expiring" in reason for reason in reasons)
    # Later, the expiring one no longer counts either.
    later = missing_required_documents(family, on=TODAY + datetime.timedelta(days=31))
    assert any("Vaccinations – Expiring" in reason for reason in later)


def test_a_refused_renewal_does_not_hide_a_valid_document(family, domicile):
    make_document(
        family, domicile, status=Status.VALID, valid_until=TODAY + datetime.timedelta(days=200)
    )
    make_document(family, domicile, status=Status.REFUSED)

    [line] = document_checklist(family, today=TODAY).lines

    assert line.state == LineState.VALID
    assert missing_required_documents(family, on=TODAY) == []
