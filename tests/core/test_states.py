"""The kernel's transition(): checks the table, saves the status and the decision fields
(only those, and those the model has), writes the history through the app's callable."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core.errors import DomainError
from core.states import transition, transition_check
from portal_features.choices import DOCUMENT_TRANSITIONS, DocumentStatus
from portal_features.errors import PortalError
from tests.factories import SupportingDocumentFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)


def test_a_decision_saves_the_status_who_when_and_why_and_writes_the_history():
    document = SupportingDocumentFactory()
    staff = UserFactory(is_staff=True)
    document.original_name = "changed in memory, not saved"
    written = []

    with CaptureQueriesContext(connection) as queries:
        result = transition(
            document,
            DocumentStatus.REFUSED,
            table=DOCUMENT_TRANSITIONS,
            actor=staff,
            reason="Illisible",
            now=NOW,
            decided=True,
            history=lambda obj, origin, target: written.append((obj.pk, origin, target)) or 7,
        )

    assert result == 7
    assert written == [(document.pk, "pending", "refused")]
    [update] = [query["sql"] for query in queries.captured_queries]
    assert "original_name" not in update
    document.refresh_from_db()
    assert (document.status, document.decided_by, document.decided_at) == (
        "refused",
        staff,
        NOW,
    )
    assert document.refusal_reason == "Illisible"
    assert document.original_name == "piece.pdf"


def test_a_forbidden_move_raises_the_apps_error_in_french_and_changes_nothing():
    document = SupportingDocumentFactory(status="refused", refusal_reason="Illisible")

    with translation.override("fr"), pytest.raises(PortalError) as refused:
        transition(document, DocumentStatus.VALID, table=DOCUMENT_TRANSITIONS, error=PortalError)

    assert str(refused.value) == (
        "Ceci est au statut « Refusée » : il ne peut pas passer au statut « Validée »."
    )
    assert isinstance(refused.value, DomainError)
    assert document.status == "refused"
    document.refresh_from_db()
    assert document.status == "refused"


def test_checking_first_returns_the_current_status_and_changes_nothing():
    document = SupportingDocumentFactory()

    assert transition_check(document, "valid", table=DOCUMENT_TRANSITIONS) == "pending"
    assert document.status == "pending"


def test_a_new_row_is_created_from_none():
    document = SupportingDocumentFactory.build(family=SupportingDocumentFactory().family)
    document.document_type.save()
    document.document_type_id = document.document_type.pk

    transition(document, DocumentStatus.PENDING, table=DOCUMENT_TRANSITIONS)

    assert document.pk is not None
