"""The booking wizard (1. Participants → 2. Activités → 3. Planning), and what its planning
adds to the basket.

Views read input, call one service (or selector) and render. Which days may be booked, what
they cost and what came of them are decided by `services.basket` and read through
`selectors.calendar` / `selectors.orders`; the time is read once per request and passed on.
"""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from core.bounds import parse_id, parse_month
from core.time import local_today
from portal_features.models import Child
from portal_features.portal.family import family_required
from portal_features.portal.urls import portal_reverse

from ..choices import WeekParity
from ..models import Unit
from ..selectors import orders as selectors
from ..selectors.calendar import CODES, month_calendar, month_start
from ..services.basket import basket_add_periodic, basket_add_picks
from .booking_common import _render, _safe_next
from .booking_forms import (
    BasketAddForm,
    IdListField,
    ParticipantsForm,
    PeriodicBookingForm,
)

# Refused days listed one by one in the messages; beyond, a count.
MAX_REFUSALS_LISTED = 15


# --- Helpers ------------------------------------------------------------------------------


def _ids(values) -> list[int]:
    """Repeated ids from a query string; a forged value is a page that does not exist."""
    try:
        return IdListField(required=False).clean(values)
    except ValidationError as error:
        raise Http404 from error


def _with_query(request, viewname, query) -> str:
    url = portal_reverse(request, viewname)
    return f"{url}?{urlencode(query)}" if query else url


def _planning_url(request, *, child_ids, activity_id, month=None) -> str:
    query = [("child", child_id) for child_id in child_ids] + [("activity", activity_id)]
    if month is not None:
        query.append(("month", f"{month:%Y-%m}"))
    return _with_query(request, "reservations:booking_planning", query)


def _day(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# --- 1. Participants ----------------------------------------------------------------------


@require_GET
@family_required
def booking_start(request):
    today = local_today()
    children = selectors.booking_children(request.family, today=today)
    chosen = _ids(request.GET.getlist("child"))
    form = ParticipantsForm(children=children, initial={"child": chosen})
    return _render(
        request,
        "booking_start.html",
        {"form": form, "children": children},
        step="participants",
    )


# --- 2. Activités -------------------------------------------------------------------------


@require_GET
@family_required
def booking_activities(request):
    child_ids = _ids(request.GET.getlist("child"))
    if not child_ids:
        messages.error(request, gettext("Choose at least one child."))
        return redirect(portal_reverse(request, "reservations:booking_start"))
    children = selectors.chosen_children(request.family, child_ids)
    today = local_today()
    activities = selectors.common_activities(request.family, child_ids=child_ids, today=today)
    return _render(
        request,
        "booking_activities.html",
        {
            "children": children,
            "activities": activities,
            "back_url": _with_query(
                request, "reservations:booking_start", [("child", pk) for pk in child_ids]
            ),
        },
        step="activities",
    )


# --- 3. Planning --------------------------------------------------------------------------


def _periodic_initial(activity, month: datetime.date, today: datetime.date, units) -> dict:
    """By default the rest of the month shown: a longer stretch is the family's choice."""
    start = max(month, today + datetime.timedelta(days=1), activity.start_date)
    month_end = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return {
        "start": start,
        "end": max(min(month_end, activity.end_date), start),
        "weekdays": list(activity.weekdays or []),
        "parity": WeekParity.EVERY,
        "units": [units[0].pk] if len(units) == 1 else [],
    }


def _render_planning(
    request, *, children, activity, month, now, periodic_form=None, status=None, added_unit=None
):
    calendar = month_calendar(
        family=request.family,
        month=month,
        now=now,
        child_ids=[child.pk for child in children],
        activity_ids=[activity.pk],
    )
    plannings = selectors.planning_by_unit(calendar, activity=activity)
    selectors.price_plannings(plannings, family=request.family, month=calendar.month)
    units = [planning.unit for planning in plannings]
    child_ids = [child.pk for child in children]
    here = _planning_url(request, child_ids=child_ids, activity_id=activity.pk, month=month)
    if periodic_form is None:
        today = local_today(now)
        initial = _periodic_initial(activity, calendar.month, today, units)
        periodic_form = PeriodicBookingForm(
            units=units,
            weekdays=activity.weekdays,
            initial={
                "child": child_ids,
                "activity": activity.pk,
                "month": f"{month:%Y-%m}",
                "next": here,
                **initial,
            },
        )
    previous_month, next_month = calendar.previous_month, calendar.next_month
    registered = {child.pk for planning in plannings for child in planning.children}
    return _render(
        request,
        "booking_planning.html",
        {
            "children": children,
            "child_ids": child_ids,
            "not_registered": [child for child in children if child.pk not in registered],
            "activity": activity,
            "calendar": calendar,
            "plannings": plannings,
            "legend": [(state, label, CODES.get(state, "")) for state, label in calendar.legend],
            "periodic_form": periodic_form,
            "here": here,
            "previous_url": _planning_url(
                request, child_ids=child_ids, activity_id=activity.pk, month=previous_month
            )
            if previous_month >= activity.start_date.replace(day=1)
            else "",
            "next_url": _planning_url(
                request, child_ids=child_ids, activity_id=activity.pk, month=next_month
            )
            if next_month <= activity.end_date
            else "",
            "previous_month": previous_month,
            "next_month": next_month,
            "back_url": _with_query(
                request, "reservations:booking_activities", [("child", pk) for pk in child_ids]
            ),
            "basket_count": selectors.basket_count(request.family),
            # The unit just added to the basket: its messages are shown there (#added).
            "added_unit": added_unit if added_unit in {unit.pk for unit in units} else None,
        },
        step="planning",
        status=status,
    )


@require_GET
@family_required
def booking_planning(request):
    child_ids = _ids(request.GET.getlist("child"))
    if not child_ids:
        messages.error(request, gettext("Choose at least one child."))
        return redirect(portal_reverse(request, "reservations:booking_start"))
    activity_ids = _ids(request.GET.getlist("activity"))
    if len(activity_ids) != 1:
        messages.error(request, gettext("Choose an activity."))
        return redirect(
            _with_query(
                request, "reservations:booking_activities", [("child", pk) for pk in child_ids]
            )
        )
    children = selectors.chosen_children(request.family, child_ids)
    activity = selectors.booking_activity(
        request.family, activity_id=activity_ids[0], child_ids=child_ids
    )
    now = timezone.now()
    month = None
    if request.GET.get("month"):
        month = parse_month(request.GET["month"], today=local_today(now))
        if month is None:
            messages.warning(
                request, gettext("This month cannot be shown: here is the first month to book.")
            )
    if month is None:
        month = selectors.first_bookable_month(
            family=request.family, activity=activity, child_ids=child_ids, now=now
        )
    return _render_planning(
        request,
        children=children,
        activity=activity,
        month=month,
        now=now,
        added_unit=parse_id(request.GET.get("added")),
    )


def _report_refusals(request, refusals: list[str]) -> None:
    for text in refusals[:MAX_REFUSALS_LISTED]:
        messages.warning(request, text)
    hidden = len(refusals) - MAX_REFUSALS_LISTED
    if hidden > 0:
        messages.warning(
            request,
            ngettext(
                "And %(count)s more day not added.", "And %(count)s more days not added.", hidden
            )
            % {"count": hidden},
        )


def _report_added(request, count: int) -> None:
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s day added to your basket.", "%(count)s days added to your basket.", count
            )
            % {"count": count},
        )
    else:
        messages.warning(request, gettext("No day was added to your basket."))


@require_POST
@family_required
def basket_add(request):
    """One-off booking: the ticked days of every unit of the planning (one form keeps every
    tick), or of one unit, for one or several children."""
    form = BasketAddForm(request.POST)
    back = _safe_next(request, request.POST.get("next"))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back or portal_reverse(request, "reservations:booking_start"))
    wanted = form.unit_requests()
    picks = [
        (child_id, unit_id, day)
        for unit_id, requests in wanted.items()
        for child_id, days in requests.items()
        for day in days
    ]
    # One batched write: a forged child or unit id (404) leaves nothing in the basket.
    try:
        picks, refused = basket_add_picks(family=request.family, picks=picks, now=timezone.now())
    except (Child.DoesNotExist, Unit.DoesNotExist) as error:
        raise Http404 from error
    _report_added(request, len(picks) - len(refused))
    _report_refusals(
        request,
        [
            f"{pick.child.first_name} – {pick.unit.name} – {_day(pick.day)} : {refused[index]}"
            for index, pick in enumerate(picks)
            if index in refused
        ],
    )
    units = list({pick.unit.pk: pick.unit for pick in picks}.values())
    shown = form.cleaned_data.get("shown_unit")
    shown = shown if shown in {unit.pk for unit in units} else units[0].pk
    if back:
        # Back where the parent was: the unit's messages, not the top of a long page.
        separator = "&" if "?" in back else "?"
        return redirect(f"{back}{separator}added={shown}#added")
    children = sorted(
        {pick.child.pk: pick.child for pick in picks}.values(),
        key=lambda child: (child.birth_date, child.first_name, child.pk),
    )
    return redirect(
        _planning_url(
            request,
            child_ids=[child.pk for child in children],
            activity_id=units[0].activity_id,
            month=min(pick.day for pick in picks).replace(day=1),
        )
    )


@require_POST
@family_required
def basket_periodic(request):
    """Periodic booking: chosen weekdays between two dates, every week or every other one."""
    child_ids = _ids(request.POST.getlist("child"))
    activity_ids = _ids(request.POST.getlist("activity"))
    if not child_ids or len(activity_ids) != 1:
        raise Http404
    children = selectors.chosen_children(request.family, child_ids)
    activity = selectors.booking_activity(
        request.family, activity_id=activity_ids[0], child_ids=child_ids
    )
    units = list(activity.units.all())
    form = PeriodicBookingForm(request.POST, units=units, weekdays=activity.weekdays)
    now = timezone.now()
    if not form.is_valid():
        messages.error(
            request, gettext("The periodic booking is not added: please check the form below.")
        )
        month = month_start(request.POST.get("month"), today=local_today(now))
        return _render_planning(
            request,
            children=children,
            activity=activity,
            month=month,
            now=now,
            periodic_form=form,
        )
    data = form.cleaned_data
    with transaction.atomic():
        try:
            added, refused = basket_add_periodic(
                family=request.family,
                child_ids=[child.pk for child in children],
                unit_ids=data["units"],
                start=data["start"],
                end=data["end"],
                weekdays=data["weekdays"],
                parity=data["parity"],
                user=request.user,
                now=now,
            )
        except (Child.DoesNotExist, Unit.DoesNotExist) as error:
            raise Http404 from error
    _report_added(request, added)
    _report_refusals(request, [f"{label} : {reason}" for label, reason in refused.items()])
    back = _safe_next(request, data.get("next"))
    return redirect(
        back
        or _planning_url(
            request,
            child_ids=child_ids,
            activity_id=activity.pk,
            month=data["start"].replace(day=1),
        )
    )
