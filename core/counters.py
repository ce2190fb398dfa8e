"""Gapless numbering: family numbers, order numbers, invoices, credit notes, receipts.

`counter_next` takes the next number of a series inside the caller's transaction,
`counter_take` several consecutive ones at once. The counter's row stays locked (the UPDATE
that increments it) until that transaction ends, so two transactions numbering the same
series at once queue one behind the other: no number is given twice. If the caller's
transaction rolls back, the increment rolls back with it: no number is lost, so the series
has no gap. A series that is never used costs nothing.

Call it as late as possible in the issuing transaction (the lock is held until commit), and
never outside one: numbers taken in autocommit would not roll back with the document.
"""

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import Counter


def counter_next(*, scope: str, year: int) -> int:
    """The next number of the series `scope` for `year` (1, 2, 3 …), locked until commit."""
    return counter_take(scope=scope, year=year, count=1)


def counter_take(*, scope: str, year: int, count: int) -> int:
    """Take `count` consecutive numbers of the series at once (an invoicing run numbering
    its invoices in one UPDATE): returns the first; the others follow it. Locked until
    commit, like `counter_next`."""
    if count < 1:
        raise ValueError("counter_take() takes at least one number.")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Numbers must be taken inside the transaction that uses them.")
    updated = Counter.objects.filter(scope=scope, year=year).update(
        last_value=F("last_value") + count
    )
    if not updated:
        # The series' first numbers: create its row. Two first takers at once: one insert
        # wins, the other fails on the unique constraint and takes the numbers after it.
        try:
            with transaction.atomic():
                Counter.objects.create(scope=scope, year=year, last_value=count)
            return 1
        except IntegrityError:
            Counter.objects.filter(scope=scope, year=year).update(
                last_value=F("last_value") + count
            )
    last = Counter.objects.values_list("last_value", flat=True).get(scope=scope, year=year)
    return last - count + 1
