"""Family numbers: the year and a five-digit rank, e.g. "202600042", from the kernel's counter."""

from core.counters import counter_next

FAMILY_SCOPE = "family"


def family_number_allocate(*, year: int) -> str:
    """Take the next family number of `year`, e.g. "202600042".

    Call it inside the transaction that creates the family: the counter row stays locked
    until that transaction ends, so numbers are unique and, if it rolls back, not lost.
    """
    return f"{year}{counter_next(scope=FAMILY_SCOPE, year=year):05d}"
