"""Family numbers: one counter row per year, locked while a number is taken."""

from django.db import transaction

from .models import FamilyNumberSequence


def family_number_allocate(*, year: int) -> str:
    """Take the next family number of `year`, e.g. "202600042".

    Call it inside the transaction that creates the family: the counter row stays locked
    until that transaction ends, so numbers are unique and, if it rolls back, not lost.
    """
    with transaction.atomic():
        FamilyNumberSequence.objects.get_or_create(year=year)
        sequence = FamilyNumberSequence.objects.select_for_update().get(year=year)
        sequence.last_value += 1
        sequence.save(update_fields=["last_value"])
    return f"{year}{sequence.last_value:05d}"
