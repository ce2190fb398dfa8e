"""« Mon calendrier »: the month per child, a reservation's detail and what the family may do
with it (cancel, declare an absence, answer an offer), the printable PDF and the settings
of the private iCalendar feed.

Each view reads its input, calls one selector or service and renders. The cells' states,
the deadlines and the allowed actions come from the selectors; the services check them
again when the family acts.
"""

import datetime
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from cms.models import CommuneSettings
from core.bounds import parse_month
from core.storage import private_file_response
from core.submit import form_submit
from core.time import local_today
from portal_features.portal.family import family_required
from portal_features.portal.urls import portal_reverse
from portal_features.portal.views import portal_render

from ..choices import ReservationStatus as S
from ..errors import ReservationError
from ..selectors.history import (
    absence_for_family,
    calendar_feed_for_family,
    reservation_detail,
    reservation_for_family,
)
from ..services.absences import absence_declare
from ..services.basket import basket_add_cancellation
from ..services.booking import offer_accept, offer_decline, reservation_cancel
from ..services.feeds import calendar_feed_create, calendar_feed_revoke
from .calendar_forms import AbsenceForm, CalendarFeedForm, CertificateForm
from .calendar_grid import MONTH, WEEK, Asked, grid_context, read_query
from .calendar_pdf import calendar_pdf_render, pdf_filename

TEMPLATES = "reservations/portal"


# --- The month grid --------------------------------------------------------------------


def _grid(request, now, *, asked=None):
    today = local_today(now)
    asked = asked or read_query(request.GET, today)
    return asked, grid_context(request=request, asked=asked, now=now, today=today)


@require_http_methods(["GET"])
@family_required
def calendar_view(request):
    now = timezone.now()
    asked, context = _grid(request, now)
    if asked.invalid:
        if asked.view == WEEK:
            messages.warning(request, gettext("This week cannot be shown: here is this week."))
        else:
            messages.warning(
                request, gettext("This month cannot be shown: here is the current month.")
            )
    return portal_render(request, f"{TEMPLATES}/calendar.html", context)


@require_http_methods(["GET"])
@family_required
def calendar_pdf(request):
    now = timezone.now()
    today = local_today(now)
    month = _asked_month(request, today)
    if month is None:
        raise Http404
    asked = read_query(request.GET, today)
    _asked, context = _grid(request, now, asked=Asked(MONTH, month, asked.child_id))
    context.update(
        family=request.family,
        commune=CommuneSettings.for_request(request),
        printed_at=timezone.now(),
    )
    response = HttpResponse(calendar_pdf_render(request, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(context["month"])}"'
    return response


def _asked_month(request, today) -> datetime.date | None:
    """The month of `?month=` (this month without one); None when it is not a month the
    calendar shows (malformed, or too far from today)."""
    value = request.GET.get("month")
    if not value:
        return today.replace(day=1)
    return parse_month(value, today=today)


# --- One reservation ------------------------------------------------------------------


def _detail_url(request, reservation_id) -> str:
    return portal_reverse(request, "reservations:reservation_detail", reservation_id=reservation_id)


def post_on_own_reservation(view):
    """The actions' order of checks: another family's reservation is a 404 whatever the
    method (its existence is nobody else's business); only then a GET is refused (405)."""

    @wraps(view)
    def wrapper(request, reservation_id):
        reservation = reservation_for_family(request.family, reservation_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(request, reservation)

    return wrapper


def _show_error(request, error: ReservationError) -> None:
    messages.error(request, " ".join([str(error.message), *map(str, error.reasons)]))


@require_http_methods(["GET"])
@family_required
def reservation_detail_view(request, reservation_id):
    detail = reservation_detail(family=request.family, reservation_id=reservation_id)
    return portal_render(
        request,
        f"{TEMPLATES}/reservation_detail.html",
        {"detail": detail, "certificate_form": CertificateForm()},
    )


# A validated day is cancelled through the basket (guide 000: "Demande d'annulation", then
# "Panier"); a request, a waiting entry or an offered place is withdrawn at once.
DIRECT_CANCEL = frozenset({S.REQUESTED, S.WAITING, S.OFFERED})


@family_required
@post_on_own_reservation
def reservation_cancel_view(request, reservation):
    try:
        if reservation.status == S.ACCEPTED:
            basket_add_cancellation(
                family=request.family, reservation_id=reservation.pk, user=request.user
            )
            messages.success(
                request,
                gettext(
                    "The cancellation is in your basket. Submit your basket to send it to "
                    "the service."
                ),
            )
            return redirect(portal_reverse(request, "reservations:basket"))
        if reservation.status not in DIRECT_CANCEL:
            raise ReservationError(
                gettext("This reservation is “%(status)s”: it cannot be cancelled.")
                % {"status": reservation.get_status_display()}
            )
        cancelled = reservation_cancel(
            family=request.family, reservation_id=reservation.pk, user=request.user
        )
    except ObjectDoesNotExist as missing:
        raise Http404 from missing
    except ReservationError as error:
        _show_error(request, error)
    else:
        if reservation.status == S.WAITING:
            done = gettext("%(child)s is no longer on the waiting list for this day.") % {
                "child": cancelled.child.first_name
            }
        elif reservation.status == S.OFFERED:
            done = gettext("You declined the offered place.")
        else:
            done = gettext("Your booking request is withdrawn.")
        messages.success(request, done)
    return redirect(_detail_url(request, reservation.pk))


def _answer_offer(request, reservation, service, success: str):
    try:
        service(family=request.family, reservation_id=reservation.pk, user=request.user)
    except ObjectDoesNotExist as missing:
        raise Http404 from missing
    except ReservationError as error:
        _show_error(request, error)
    else:
        messages.success(request, success)
    return redirect(_detail_url(request, reservation.pk))


@family_required
@post_on_own_reservation
def offer_accept_view(request, reservation):
    return _answer_offer(
        request, reservation, offer_accept, gettext("The place is yours: the day is validated.")
    )


@family_required
@post_on_own_reservation
def offer_decline_view(request, reservation):
    return _answer_offer(
        request, reservation, offer_decline, gettext("You declined the offered place.")
    )


# --- Absences -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@family_required
def absence_declare_view(request, reservation_id):
    detail = reservation_detail(family=request.family, reservation_id=reservation_id)
    form = AbsenceForm(request.POST, request.FILES) if request.method == "POST" else AbsenceForm()
    try:
        response = form_submit(
            request,
            form,
            lambda data: absence_declare(
                family=request.family,
                reservation_id=detail.reservation.pk,
                user=request.user,
                reason=data["reason"],
                comment=data["comment"],
                certificate=data["certificate"],
            ),
            done=gettext("Your absence is declared. The service will tell you its decision."),
            then=_detail_url(request, detail.reservation.pk),
            file_field="certificate",
        )
    except ObjectDoesNotExist as missing:
        raise Http404 from missing
    return response or portal_render(
        request, f"{TEMPLATES}/absence_form.html", {"detail": detail, "form": form}
    )


@require_http_methods(["GET"])
@family_required
def absence_certificate(request, absence_id):
    return private_file_response(absence_for_family(request.family, absence_id))


# --- iCalendar feed -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@family_required
def calendar_feed_settings(request):
    if request.method == "POST":
        form = CalendarFeedForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["action"] == CalendarFeedForm.CREATE:
                calendar_feed_create(family=request.family, user=request.user)
                messages.success(
                    request,
                    gettext("Your calendar address is ready: add it to your calendar application."),
                )
            else:
                calendar_feed_revoke(family=request.family, user=request.user)
                messages.success(
                    request, gettext("The calendar address is revoked: it no longer works.")
                )
        return redirect(portal_reverse(request, "reservations:calendar_feed_settings"))
    feed = calendar_feed_for_family(request.family)
    feed_url = webcal_url = ""
    if feed is not None:
        feed_url = request.build_absolute_uri(
            reverse("reservations_ical_feed", kwargs={"token": feed.token})
        )
        webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    return portal_render(
        request,
        f"{TEMPLATES}/calendar_feed.html",
        {"feed": feed, "feed_url": feed_url, "webcal_url": webcal_url},
    )
