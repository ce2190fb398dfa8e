"""Money: the one rounding and the one way amounts are written.

Every amount is a `Decimal` in euros with two places. A computed amount (a QF times an
effort rate, a price less a percentage) is rounded once, here, half up to the cent:
3.045 → 3.05, as a person counting by hand would, never the banker's 3.04 that Python's
`round()` gives. A line is quantity × its rounded unit price, exactly; a total is the sum of
its rounded lines. Floats never enter: `money()` refuses them.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal | int | str) -> Decimal:
    """`value` rounded half up to the cent. A float is a bug upstream: refused."""
    if isinstance(value, float):
        raise TypeError("Amounts are Decimal, never float.")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_euros(value) -> str:
    """An amount as families read it: « 1 234,56 € », never broken across two lines.

    Empty for None or text that is not a number, so a template never shows « None € ».
    """
    if value is None or value == "" or isinstance(value, float):
        return ""
    try:
        amount = money(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{number_format(amount, decimal_pos=2, force_grouping=True)}\u00a0€"


def exact_cents(amount: Decimal) -> int | None:
    """`amount` in whole cents (what payment providers are sent), or None when it is not a
    number of euros and cents (12.345, NaN). A float is a bug upstream: refused."""
    if not isinstance(amount, Decimal):
        raise TypeError("Amounts are Decimal.")
    try:
        exact = amount.quantize(CENT) == amount
    except InvalidOperation:
        exact = False
    return int(amount * 100) if exact else None
