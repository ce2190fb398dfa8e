"""Invoicing runs finalised at the same instant: the same run twice gives one finalisation
and one refusal; runs of two régies (two months each) give each régie's invoices numbers
1…N, none twice, none skipped. The control replaces the counter's locked increment by a
read-then-write and shows the same run taking numbers already given.

Threads meet at a barrier just before the guarded step; each has its own database
connection, closed when it ends.
"""

import contextlib
import threading
import time
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, connections

from core.models import Counter
from invoicing.errors import InvoicingError
from invoicing.models import Invoice, InvoicingRun
from invoicing.services import issuing, run_draft, run_finalize
from tests.invoicing.conftest import (
    DEC_WEDNESDAYS,
    DECEMBER,
    IN_DECEMBER,
    IN_JANUARY,
    NOV_WEDNESDAYS,
    NOVEMBER,
    make_billing,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent transactions and row locks need PostgreSQL",
    ),
]

FAMILIES = 6
GATE_TIMEOUT = 10


@pytest.fixture(autouse=True)
def _fresh_content_types():
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _pdfs_queued_not_rendered(settings):
    # The PDFs' tasks are queued after each commit; rendering them is not what is timed here.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class Gate:
    def __init__(self, parties):
        self.barrier = threading.Barrier(parties)

    def __call__(self):
        with contextlib.suppress(threading.BrokenBarrierError):
            self.barrier.wait(timeout=GATE_TIMEOUT)

    @property
    def met(self) -> bool:
        return not self.barrier.broken


def run_at_once(jobs):
    start = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        try:
            start.wait(timeout=GATE_TIMEOUT)
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - the test reports it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=item) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


def billed_regie(code):
    """A régie with FAMILIES families booked in November and in December, both drafted."""
    billing = make_billing(code=code)
    for _ in range(FAMILIES):
        family, (child,) = billing.add_family()
        billing.book_days(family, child, NOV_WEDNESDAYS[:2])
        billing.book_days(family, child, DEC_WEDNESDAYS[:2])
    runs = [
        run_draft(regie=billing.regie, month=month, actor=None, now=now, sources=billing.provider)
        for month, now in ((NOVEMBER, IN_DECEMBER), (DECEMBER, IN_DECEMBER))
    ]
    return billing, runs


def finalize_job(run):
    return lambda: run_finalize(run=run, actor=None, now=IN_JANUARY)


def sequences(regie):
    return sorted(
        Invoice.objects.filter(regie=regie, number__isnull=False).values_list("sequence", flat=True)
    )


def test_the_same_run_finalised_twice_at_once_is_finalised_once(monkeypatch):
    billing, (november, _december) = billed_regie("ALSH")
    issue = issuing.documents_issue

    def slow_issue(**kwargs):
        issue(**kwargs)
        time.sleep(0.2)  # the other finalisation now waits on the run's row

    monkeypatch.setattr("invoicing.services.runs.documents_issue", slow_issue)
    results = run_at_once([finalize_job(november), finalize_job(november)])

    finalized = [r for r in results if isinstance(r, InvoicingRun)]
    refused = [r for r in results if isinstance(r, InvoicingError)]
    assert len(finalized) == 1 and len(refused) == 1, results
    assert "déjà finalisée" in refused[0].message
    assert sequences(billing.regie) == list(range(1, FAMILIES + 1))
    assert Counter.objects.get(scope="invoice:ALSH", year=2027).last_value == FAMILIES


def gated_counter(wait, take):
    def gated(**kwargs):
        wait()
        return take(**kwargs)

    return gated


def four_runs_at_once(monkeypatch, counter_take):
    (first, first_runs), (second, second_runs) = billed_regie("ALSH"), billed_regie("CLAE")
    with monkeypatch.context() as patch:
        patch.setattr(issuing, "counter_take", counter_take)
        results = run_at_once([finalize_job(run) for run in first_runs + second_runs])
    return (first, second), results


def test_two_regies_two_months_each_finalised_at_once_share_no_number(monkeypatch):
    wait = Gate(4)

    (first, second), results = four_runs_at_once(
        monkeypatch, gated_counter(wait, issuing.counter_take)
    )

    assert wait.met
    assert all(isinstance(result, InvoicingRun) for result in results), results
    for billing in (first, second):
        assert sequences(billing.regie) == list(range(1, 2 * FAMILIES + 1))
    numbers = list(Invoice.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 4 * FAMILIES
    assert {n[:5] for n in numbers} == {"FALSH", "FCLAE"}
    assert Invoice.objects.filter(total=Decimal("24.40")).count() == 4 * FAMILIES


def test_control_without_the_counter_lock_numbers_are_taken_twice(monkeypatch):
    wait = Gate(4)
    taken, lock = [], threading.Lock()

    def read_then_write(*, scope, year, count):
        wait()
        row = Counter.objects.get(scope=scope, year=year)
        first = row.last_value + 1
        time.sleep(0.05)
        Counter.objects.filter(pk=row.pk).update(last_value=first + count - 1)
        with lock:
            taken.append((scope, first, count))
        return first

    for scope in ("invoice:ALSH", "invoice:CLAE"):
        Counter.objects.create(scope=scope, year=2027, last_value=0)

    (first, second), results = four_runs_at_once(monkeypatch, read_then_write)

    assert wait.met
    by_scope = {}
    for scope, start, count in taken:
        by_scope.setdefault(scope, []).extend(range(start, start + count))
    duplicates = {scope: len(numbers) - len(set(numbers)) for scope, numbers in by_scope.items()}
    assert any(duplicates.values()), taken
    # The UNIQUE constraint behind the counter refused the documents numbered twice.
    assert any(isinstance(result, IntegrityError) for result in results), results
