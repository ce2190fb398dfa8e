"""How an amount is spread over what invoices still owe: the one rule, pure, so it is tested
by properties (`tests/invoicing/rules/test_allocation.py`).

In the order given (oldest due first, chosen by the caller), each invoice takes what it still
owes, up to what is left of the amount; the rest is not allocated (the family's credit). No
invoice ever receives more than it owes, the shares never sum above the amount, and nothing
is left unallocated while an invoice still owes.
"""

from decimal import Decimal

ZERO = Decimal("0.00")


def spread(amount: Decimal, owed: list[tuple[int, Decimal]]) -> list[tuple[int, Decimal]]:
    """[(invoice id, share)] for the invoices that get something, in the order given."""
    shares, left = [], amount
    for invoice_id, owes in owed:
        if left <= 0:
            break
        share = min(left, owes)
        if share > 0:
            shares.append((invoice_id, share))
            left -= share
    return shares
