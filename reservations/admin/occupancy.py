"""Occupancy table for enfance staff: one activity over a week or a month, days × units,
with booked / places and the waiting list per group, and a visible "full" marker.

The figures come from one query whatever the number of days: the slots of the period with
their waiting and to-validate counts aggregated in the same SELECT.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode
from wagtail import hooks

from ..choices import ReservationStatus
from ..models import Slot
from .config_forms import OccupancyForm
from .names import OCCUPANCY_URL_NAME

PERMISSION = "reservations.view_slot"


@dataclass
class OccupancyRow:
    day: datetime.date
    # One list per unit (in the activity's order) of (group, slot or None) pairs.
    cells: list


def activity_occupancy(*, activity, first: datetime.date, last: datetime.date) -> dict:
    """The activity's units, groups and, for each opening day between `first` and `last`,
    its slots; each slot carries `waiting` and `to_validate` counts."""
    units = list(activity.units.all())
    groups = list(activity.groups.all())
    slots = (
        Slot.objects.filter(unit__activity=activity, day__range=(first, last))
        .annotate(
            waiting=Count("reservations", filter=Q(reservations__status=ReservationStatus.WAITING)),
            to_validate=Count(
                "reservations", filter=Q(reservations__status=ReservationStatus.REQUESTED)
            ),
        )
        .order_by()
    )
    by_key = {(slot.day, slot.unit_id, slot.group_id): slot for slot in slots}
    days = sorted({day for day, _unit, _group in by_key})
    rows = [
        OccupancyRow(
            day=day,
            cells=[
                [(group, by_key.get((day, unit.pk, group.pk))) for group in groups]
                for unit in units
            ],
        )
        for day in days
    ]
    return {"units": units, "groups": groups, "rows": rows}


def occupancy_view(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    form = OccupancyForm(request.GET or None)
    context = {"form": form}
    if form.is_valid():
        activity = form.cleaned_data["activity"]
        first, last = form.period(timezone.localdate())
        span = form.cleaned_data.get("span") or OccupancyForm.MONTH

        def around(day):
            return "?" + urlencode({"activity": activity.pk, "span": span, "day": day.isoformat()})

        context.update(
            activity=activity,
            first=first,
            last=last,
            previous_url=around(first - datetime.timedelta(days=1)),
            next_url=around(last + datetime.timedelta(days=1)),
            **activity_occupancy(activity=activity, first=first, last=last),
        )
    return TemplateResponse(request, "reservations/admin/occupancy.html", context)


@hooks.register("register_admin_urls")
def register_occupancy_url():
    return [path("reservations/occupancy/", occupancy_view, name=OCCUPANCY_URL_NAME)]
