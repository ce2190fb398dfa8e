"""Two staff members deciding the same document at once: only one decision stands."""

import contextlib
import copy
import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, connections

from portal_features.documents import services
from portal_features.errors import PortalError
from portal_features.models import DocumentType, Notification, SupportingDocument
from tests.factories import FamilyFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite locks the whole file",
    ),
]


def _race(monkeypatch, document, staff):
    """Validate and refuse at the same time; both wait after reading the status, so without
    a lock both see "pending"."""
    barrier = threading.Barrier(2)
    moves = services.MOVES

    def check_then_wait(locked, to_status):
        moves.check(locked, to_status)
        # Times out when the other one is waiting for our lock.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)

    # The services decide through their module's MOVES (a frozen dataclass): a copy whose
    # check waits for the other decision stands in for it.
    waiting = copy.copy(moves)
    object.__setattr__(waiting, "check", check_then_wait)
    monkeypatch.setattr(services, "MOVES", waiting)
    outcomes = []

    def decide(action):
        try:
            action()
            outcomes.append("done")
        except PortalError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(
            target=decide,
            args=(
                lambda: services.supporting_document_validate(
                    document=document, actor=staff, valid_from=document.uploaded_at.date()
                ),
            ),
        ),
        threading.Thread(
            target=decide,
            args=(
                lambda: services.supporting_document_refuse(
                    document=document, actor=staff, reason="Illisible"
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.fixture
def document(db):
    # The browser tests' serialized rollback recreates content types under new ids; the
    # process-wide cache may still hold the old ones, which Wagtail's reference index
    # (written on save, here from other threads) would then point at.
    ContentType.objects.clear_cache()
    return SupportingDocument.objects.create(
        family=FamilyFactory(),
        document_type=DocumentType.objects.create(name="Assurance", scope="family"),
        file=ContentFile(b"%PDF-1.4\n", name="a.pdf"),
        original_name="a.pdf",
        content_type="application/pdf",
        size=9,
    )


def test_the_row_lock_lets_one_decision_through(monkeypatch, document):
    assert _race(monkeypatch, document, UserFactory(is_staff=True)) == ["done", "refused"]
    assert Notification.objects.count() == 1


def test_control_without_the_lock_both_decisions_go_through(monkeypatch, document):
    monkeypatch.setattr(
        services,
        "_locked",
        lambda document: SupportingDocument.objects.select_related(
            "family", "child", "document_type"
        ).get(pk=document.pk),
    )
    assert _race(monkeypatch, document, UserFactory(is_staff=True)) == ["done", "done"]
    assert Notification.objects.count() == 2
