"""What to bill: the lines a run computes, and the difference with what was already billed.

Pure functions on plain values, so that their arithmetic is tested on its own (property
tests) and a run is the same whether it bills a month for the first time or corrects it.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class DraftLine:
    family_id: int
    child_id: int
    activity_id: int | None
    unit_id: int | None
    reservation_id: int | None
    day: datetime.date
    kind: str
    situation: str
    quantity: int
    unit_price: Decimal
    source_key: str
    pricing: dict = field(default_factory=dict, compare=False, hash=False)
    explanation: str = ""

    @property
    def amount(self) -> Decimal:
        """Quantity × the rounded unit price, exactly: no second rounding."""
        return self.quantity * self.unit_price


def lines_to_bill(*, target: Iterable[DraftLine], billed: Iterable[DraftLine]) -> list[DraftLine]:
    """The lines that make what was billed equal to `target`, source by source.

    For each source (a reservation and a kind of charge), what was billed nets to a quantity
    per payer and unit price. When that differs from the target, the billed quantities are
    taken back (negative lines at their own price and payer) and the target line is billed
    anew; when it is the same, nothing. Billing the result and asking again gives nothing:
    a change is never billed twice.
    """
    wanted: dict[str, DraftLine] = {}
    for line in target:
        if line.source_key in wanted:
            raise ValueError(f"two target lines for {line.source_key}")
        wanted[line.source_key] = line
    nets: dict[str, dict[tuple[int, Decimal], int]] = defaultdict(lambda: defaultdict(int))
    samples: dict[tuple[str, int, Decimal], DraftLine] = {}
    for line in billed:
        nets[line.source_key][(line.family_id, line.unit_price)] += line.quantity
        samples.setdefault((line.source_key, line.family_id, line.unit_price), line)
    result = []
    for key in sorted(set(wanted) | set(nets), key=_key_order):
        now_billed = {where: qty for where, qty in nets.get(key, {}).items() if qty}
        line = wanted.get(key)
        should_be = {(line.family_id, line.unit_price): line.quantity} if line else {}
        if now_billed == should_be:
            continue
        for (family_id, unit_price), quantity in sorted(now_billed.items()):
            result.append(replace(samples[(key, family_id, unit_price)], quantity=-quantity))
        if line is not None:
            result.append(line)
    return result


def _key_order(key: str):
    reservation, _, kind = key.partition(":")
    return (int(reservation) if reservation.isdigit() else 0, reservation, kind)


def by_family(lines: Iterable[DraftLine]) -> dict[int, list[DraftLine]]:
    grouped: dict[int, list[DraftLine]] = defaultdict(list)
    for line in lines:
        grouped[line.family_id].append(line)
    return dict(grouped)


def total_of(lines: Iterable[DraftLine]) -> Decimal:
    return sum((line.amount for line in lines), ZERO)
