"""Which household has a child on a given day: the payer of a day nobody booked.

A child in one household: that household. In two (separated parents), the custody rhythm
of each membership decides (odd or even ISO weeks, given weekdays): the one household
whose rhythm covers the day. When none covers it and exactly one household has no rhythm,
that household has the remaining days (« odd weeks with the father » leaves the even ones
to the mother). Otherwise nothing decides: None, and staff choose.
"""

import datetime

from .models import ChildMembership, Custody, Family


def household_of(memberships, day: datetime.date):
    """The membership (of one child) whose household has the child on `day`, or None."""
    memberships = list(memberships)
    if len(memberships) == 1:
        return memberships[0]
    covering = [membership for membership in memberships if membership.covers(day)]
    if len(covering) == 1:
        return covering[0]
    if not covering:
        without_rhythm = [m for m in memberships if m.custody == Custody.NONE]
        if len(without_rhythm) == 1 and len(memberships) > 1:
            return without_rhythm[0]
    return None


def household_on(*, child, day: datetime.date) -> Family | None:
    """The household that has the child on `day`, or None when no rhythm decides."""
    child_id = child if isinstance(child, int) else child.pk
    memberships = ChildMembership.objects.filter(child_id=child_id).select_related("family")
    membership = household_of(memberships, day)
    return membership.family if membership is not None else None


def households_of(*, child) -> list[Family]:
    """Every household of the child, for staff to choose the payer from."""
    child_id = child if isinstance(child, int) else child.pk
    return [
        membership.family
        for membership in ChildMembership.objects.filter(child_id=child_id)
        .select_related("family")
        .order_by("family__name", "family__number")
    ]
