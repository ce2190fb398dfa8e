"""Two CESU payments for the same invoice at once never pay more than CESU may: the invoices
are locked before what CESU already paid is read, so the second waits for the first and
sees it. The control removes the row locks and shows both passing the cap.

The mixed family's November invoice: 179.60 in all, 117.60 payable by CESU. Two counters
take 70.00 each: 140.00 fits the invoice (its trigger would not stop it) but not the cap.
"""

import contextlib
import threading
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections
from django.db.models import QuerySet, Sum

from invoicing.choices import PaymentMode
from invoicing.errors import InvoicingError
from invoicing.models import Allocation
from invoicing.services import counter
from tests.invoicing.collection.conftest import AT_COUNTER, Mixed

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent transactions and row locks need PostgreSQL",
    ),
]
GATE_TIMEOUT = 5


@pytest.fixture(autouse=True)
def _fresh_content_types(settings):
    ContentType.objects.clear_cache()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def mixed_family():
    world = Mixed()
    family, children = world.add_family()
    for child in children:
        world.book_periscolaire(family, child)
        world.book_holiday(family, child)
    world.bill()
    world.family = family
    return world


def two_cesu_at_once(world, monkeypatch):
    """Both threads meet inside the cap's computation if nothing serialises them."""
    gate = threading.Barrier(2)
    computed = counter.voucher_eligible

    def slow_eligible(**kwargs):
        result = computed(**kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            gate.wait(timeout=GATE_TIMEOUT)
        return result

    monkeypatch.setattr(counter, "voucher_eligible", slow_eligible)
    start = threading.Barrier(2)
    results = [None, None]

    def worker(index):
        try:
            start.wait(timeout=GATE_TIMEOUT)
            results[index] = counter.counter_payment_record(
                regie=world.regie,
                family=world.family,
                mode=PaymentMode.CESU,
                amount=Decimal("70.00"),
                actor=None,
                now=AT_COUNTER,
            )
        except Exception as error:  # noqa: BLE001 - the test reports it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    cesu = Allocation.objects.filter(payment__mode=PaymentMode.CESU).aggregate(s=Sum("amount"))
    return results, cesu["s"], not gate.broken


def test_two_cesu_payments_at_once_stay_under_the_cap(monkeypatch):
    world = mixed_family()
    results, cesu_total, met = two_cesu_at_once(world, monkeypatch)
    refused = [r for r in results if isinstance(r, InvoicingError)]
    assert len(refused) == 1, results
    assert "47,60" in refused[0].message
    assert cesu_total == Decimal("70.00")
    assert not met  # the second waited on the lock instead of computing alongside


def test_control_without_the_row_locks_cesu_pays_beyond_its_cap(monkeypatch):
    world = mixed_family()
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, *a, **k: self)
    results, cesu_total, met = two_cesu_at_once(world, monkeypatch)
    assert met
    assert not any(isinstance(r, Exception) for r in results), results
    assert cesu_total == Decimal("140.00") > Decimal("117.60")
