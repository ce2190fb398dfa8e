"""The only code that moves a slot's `booked` counter.

Taking a place is one conditional UPDATE (`... WHERE booked < capacity`): the database
checks and writes in one step and keeps the row locked until the transaction ends, so no
interleaving of concurrent requests can take more places than the capacity. The
`slot_never_overbooked` CHECK constraint backs it up.
"""

from django.db.models import F

from .models import Slot


def place_take(*, slot_id: int) -> bool:
    """Take one place if the slot is open and not full; False otherwise."""
    return (
        Slot.objects.filter(pk=slot_id, is_closed=False, booked__lt=F("capacity")).update(
            booked=F("booked") + 1
        )
        == 1
    )


def place_release(*, slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)
