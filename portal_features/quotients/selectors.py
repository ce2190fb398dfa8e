"""The quotient familial of a family on a given day, read from its dated records.

`known_at` reads the records as they stood at a past instant (None: as they stand now):
a finalized month is re-priced with the QF the commune knew when it billed it.
"""

import datetime
from collections import defaultdict

from ..models import QuotientRecord


def quotient_on(*, family, day: datetime.date, known_at=None) -> QuotientRecord | None:
    """The family's record valid on `day`, or None (no valid QF that day)."""
    family_id = family if isinstance(family, int) else family.pk
    return (
        QuotientRecord.objects.filter(family_id=family_id)
        .known_at(known_at)
        .overlapping(day, day)
        .order_by("-recorded_at", "-pk")
        .first()
    )


def quotients_for(
    *, family_ids, start: datetime.date, end: datetime.date, known_at=None
) -> dict[int, list[QuotientRecord]]:
    """{family id: its records valid on a day of [start, end], by start date}: one query.

    Families without any record are absent from the result."""
    found = defaultdict(list)
    records = (
        QuotientRecord.objects.filter(family_id__in=set(family_ids))
        .known_at(known_at)
        .overlapping(start, end)
        .order_by("family_id", "valid_from", "pk")
    )
    for record in records:
        found[record.family_id].append(record)
    return dict(found)


def record_on(records, day: datetime.date) -> QuotientRecord | None:
    """The record of `records` (one family's, from quotients_for) valid on `day`."""
    for record in records:
        if record.covers(day):
            return record
    return None


def family_quotients(*, family) -> list[QuotientRecord]:
    """The family's records in force, oldest first (the file's « Quotient familial »)."""
    return list(
        QuotientRecord.objects.filter(family=family)
        .in_force()
        .select_related("recorded_by")
        .order_by("valid_from", "pk")
    )
