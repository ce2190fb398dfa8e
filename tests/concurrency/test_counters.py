"""Numbers taken at the same instant from one series: each given once, none skipped.

Sixteen transactions take a number of one series at once and keep their transaction open a
moment, as an invoicing run does while it writes its invoices; a few roll back. The control
replaces the locked counter by a read-then-write of the last value and shows the doubles
the lock prevents.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from core.counters import counter_next
from core.models import Counter

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent transactions and row locks need PostgreSQL",
    ),
]

THREADS = 16


class Failed(Exception):
    pass


def _take_numbers(take):
    barrier = threading.Barrier(THREADS)
    kept, lock = [], threading.Lock()

    def worker(index):
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                number = take()
                time.sleep(0.01)
                if index % 5 == 4:
                    raise Failed  # this document could not be issued: its number returns
            with lock:
                kept.append(number)
        except Failed:
            pass
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return sorted(kept)


def test_numbers_taken_at_once_are_unique_and_without_gaps():
    Counter.objects.create(scope="invoice:R1", year=2026, last_value=0)

    kept = _take_numbers(lambda: counter_next(scope="invoice:R1", year=2026))

    rolled_back = len([i for i in range(THREADS) if i % 5 == 4])
    assert kept == list(range(1, THREADS - rolled_back + 1))


def test_the_first_number_of_a_new_series_is_given_once():
    kept = _take_numbers(lambda: counter_next(scope="receipt:R1", year=2027))

    assert kept == list(range(1, len(kept) + 1))


def test_control_without_the_lock_numbers_are_given_twice():
    Counter.objects.create(scope="invoice:R1", year=2026, last_value=0)

    def read_then_write():
        last = Counter.objects.get(scope="invoice:R1", year=2026).last_value
        time.sleep(0.01)
        Counter.objects.filter(scope="invoice:R1", year=2026).update(last_value=last + 1)
        return last + 1

    kept = _take_numbers(read_then_write)

    assert len(set(kept)) < len(kept)
