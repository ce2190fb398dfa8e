"""A family sending several files at the same instant cannot overrun its quota: the check and
the write happen with the family's row locked. The control removes the lock and shows the
overrun the lock prevents, so the guarded test cannot pass by luck of timing."""

import contextlib
import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from core.errors import UploadError
from portal_features import upload_limits
from portal_features.documents.services import supporting_document_upload
from portal_features.models import DocumentType, SupportingDocument
from tests.factories import FamilyFactory, GuardianFactory
from tests.files import pdf_bytes

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite locks the whole file",
    ),
]

UPLOADS = 5
SIZE = 300_000  # three fit in 1 MB (1,048,576 bytes), not four


def _race(monkeypatch, settings):
    """UPLOADS uploads of one family at once; each waits after reading the space used, so
    without a lock all of them read it before any is stored."""
    settings.FAMILY_STORAGE_QUOTA_MB = 1
    # The browser tests' serialized rollback recreates content types under new ids; the
    # process-wide cache may still hold the old ones.
    ContentType.objects.clear_cache()
    guardian = GuardianFactory(family=FamilyFactory(name="DUPONT"))
    domicile = DocumentType.objects.create(name="Domicile", scope="family")
    content = pdf_bytes(size=SIZE)
    barrier = threading.Barrier(UPLOADS)
    check = upload_limits._check_quota

    def check_then_wait(**kwargs):
        check(**kwargs)
        # Times out when the others are waiting for our lock.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=1)

    monkeypatch.setattr(upload_limits, "_check_quota", check_then_wait)
    outcomes = []

    def upload():
        try:
            supporting_document_upload(
                family=guardian.family,
                document_type=domicile,
                uploaded_file=SimpleUploadedFile("piece.pdf", content),
                user=guardian.user,
            )
            outcomes.append("stored")
        except UploadError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload) for _ in range(UPLOADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes, guardian.family


def test_simultaneous_uploads_stay_within_the_quota(monkeypatch, settings):
    outcomes, family = _race(monkeypatch, settings)

    assert sorted(outcomes) == ["refused"] * 2 + ["stored"] * 3
    assert SupportingDocument.objects.filter(family=family).count() == 3
    assert upload_limits.family_storage_used(family=family) == 3 * SIZE


def test_control_without_the_lock_the_quota_is_overrun(monkeypatch, settings):
    monkeypatch.setattr(upload_limits, "_lock_family", lambda family: None)

    outcomes, family = _race(monkeypatch, settings)

    assert outcomes.count("stored") > 3
    assert upload_limits.family_storage_used(family=family) > 1024 * 1024
