"""« Réserver les jours cochés »: the calendar's form books the ticked days in one POST,
then shows the calendar again (same month or week, same child) with the outcome.

Without JavaScript, a plain form and a redirect. With it (static/reservations/calendar.js),
the form is sent by `fetch` with the `X-Requested-With: fetch` header and the answer is the
updated grid and the outcome alone, which the script swaps in place."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.messages.utils import get_level_tags
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from core.bounds import parse_id
from core.time import local_today
from portal_features.portal.family import family_required
from portal_features.portal.urls import portal_reverse

from ..emails import order_receipt_queue
from ..errors import ReservationError
from ..services.days import days_book
from .calendar_grid import grid_context, read_query

# What the calendar's query string may carry back after the booking.
KEPT = ("month", "week", "child")
FRAGMENT_HEADER, FRAGMENT_VALUE = "X-Requested-With", "fetch"
FRAGMENT_TEMPLATE = "reservations/portal/calendar_fragment.html"


def day_value(child_id: int, unit_id: int, day: datetime.date) -> str:
    """A checkbox's value: "child:unit:YYYY-MM-DD"."""
    return f"{child_id}:{unit_id}:{day:%Y-%m-%d}"


def read_picks(values) -> list[tuple[int, int, datetime.date]] | None:
    """The ticked (child id, unit id, day); None when a value is not one the page writes."""
    picks = []
    for value in values:
        parts = str(value).split(":")
        if len(parts) != 3:
            return None
        child_id, unit_id = parse_id(parts[0]), parse_id(parts[1])
        try:
            day = datetime.date.fromisoformat(parts[2])
        except ValueError:
            return None
        if child_id is None or unit_id is None:
            return None
        picks.append((child_id, unit_id, day))
    return picks


def wants_fragment(request) -> bool:
    """The calendar's script sends the form with this header and swaps the grid it gets."""
    return request.headers.get(FRAGMENT_HEADER) == FRAGMENT_VALUE


def _back(request):
    query = {name: request.POST[name] for name in KEPT if request.POST.get(name)}
    url = portal_reverse(request, "reservations:calendar")
    return redirect(url + ("?" + urlencode(query) if query else ""))


def _answer(request, level: int, text: str):
    """Without JavaScript, the message and the calendar again (a redirect, so reloading
    books nothing twice); to the script, the updated grid and the message, no page frame."""
    if not wants_fragment(request):
        messages.add_message(request, level, text)
        return _back(request)
    now = timezone.now()
    today = local_today(now)
    context = grid_context(
        request=request, asked=read_query(request.POST, today), now=now, today=today
    )
    context["outcome"] = [(get_level_tags()[level], text)]
    response = render(request, FRAGMENT_TEMPLATE, context)
    patch_vary_headers(response, [FRAGMENT_HEADER])
    return response


@require_POST
@family_required
def days_book_view(request):
    picks = read_picks(request.POST.getlist("day"))
    if picks is None:
        raise Http404
    if not picks:
        return _answer(request, messages.ERROR, gettext("Tick at least one day to book."))
    try:
        order = days_book(family=request.family, user=request.user, picks=picks, now=timezone.now())
    except ObjectDoesNotExist as missing:
        raise Http404 from missing
    except ReservationError as error:
        # Nothing was saved: say why, day by day.
        text = " ".join([str(error.message), *map(str, error.reasons)])
        return _answer(request, messages.ERROR, text)
    order_receipt_queue(order_id=order.pk)
    return _answer(
        request,
        messages.SUCCESS,
        gettext("Your order no. %(number)s is registered. A receipt is sent by e-mail.")
        % {"number": order.number},
    )
