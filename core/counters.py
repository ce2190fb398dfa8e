"""Gapless numbering: family numbers, order numbers, invoices, credit notes, receipts.

`counter_next` takes the next number of a series inside the caller's transaction. The
counter's row stays locked (`SELECT … FOR UPDATE`) until that transaction ends, so two
transactions numbering the same series at once queue one behind the other: no number is
given twice. If the caller's transaction rolls back, the increment rolls back with it: no
number is lost, so the series has no gap. A series that is never used costs nothing.

Call it as late as possible in the issuing transaction (the lock is held until commit), and
never outside one: numbers taken in autocommit would not roll back with the document.
"""

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import Counter


def counter_next(*, scope: str, year: int) -> int:
    """The next number of the series `scope` for `year` (1, 2, 3 …), locked until commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("counter_next() must run inside the transaction that uses the number.")
    updated = Counter.objects.filter(scope=scope, year=year).update(last_value=F("last_value") + 1)
    if not updated:
        # The series' first number: create its row. Two first numbers at once: one insert
        # wins, the other fails on the unique constraint and takes the row's next value.
        try:
            with transaction.atomic():
                Counter.objects.create(scope=scope, year=year, last_value=1)
            return 1
        except IntegrityError:
            Counter.objects.filter(scope=scope, year=year).update(last_value=F("last_value") + 1)
    return Counter.objects.values_list("last_value", flat=True).get(scope=scope, year=year)
