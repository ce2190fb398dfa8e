"""The log of staff actions on money: who, when, what it was before → after."""

from core.actors import user_or_none

from ..models import Allocation, MoneyEvent


def money_event(*, action, actor, at, before=None, after=None, note="", **about) -> MoneyEvent:
    """An unsaved event (saved alone, or with others in one bulk insert)."""
    return MoneyEvent(
        action=action,
        actor=user_or_none(actor),
        at=at,
        before=before or {},
        after=after or {},
        note=note[:255],
        **about,
    )


def money_event_record(**kwargs) -> MoneyEvent:
    event = money_event(**kwargs)
    event.save()
    return event


def allocation_logged(
    *, action, source: dict, paid_by: dict, invoice_id, remaining, amount, actor, now, **about
):
    """What pays an invoice from a credit (a credit note, a payment's overpayment): the unsaved
    allocation of `amount` onto the invoice that still owes `remaining`, and its event
    (`before`/`after` what it owes; `paid_by`, what paid it, e.g. `{"payment": "E-…"}`).
    `source` is the allocation's other side (`credit_note_id=` or `payment=`); `about`, the
    event's régie and family. Both are saved in bulk by the caller."""
    allocation = Allocation(
        invoice_id=invoice_id,
        amount=amount,
        created_at=now,
        created_by=user_or_none(actor),
        **source,
    )
    event = money_event(
        action=action,
        actor=actor,
        at=now,
        invoice_id=invoice_id,
        before={"remaining": str(remaining)},
        after={"remaining": str(remaining - amount), **paid_by, "amount": str(amount)},
        **about,
    )
    return allocation, event
