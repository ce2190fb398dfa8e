"""Collective cancellation: staff cancel a day for an activity, a facility or a school
(strike, closure, class trip). A first step shows how many reservations and families are
concerned; the confirmation calls `day_cancel_collectively`, which cancels without billing,
closes the day (activity or facility) and tells every family."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks

from ..choices import ACTIVE
from ..errors import ReservationError
from ..models import Reservation, Slot
from ..services.closures import day_cancel_collectively
from .config_forms import CollectiveCancellationForm
from .names import CANCELLATION_URL_NAME

PERMISSIONS = ("reservations.change_reservation", "reservations.change_slot")
TEMPLATE = "reservations/admin/config_cancellation.html"


def scope_of(data) -> dict:
    """The service's scope arguments from the form's cleaned data."""
    return {
        "activity_id": data["activity"].pk if data.get("activity") else None,
        "facility_id": data["facility"].pk if data.get("facility") else None,
        "school": data.get("school") or "",
    }


def _scope_slots(*, day, activity_id=None, facility_id=None):
    slots = Slot.objects.filter(day=day)
    if activity_id:
        slots = slots.filter(unit__activity_id=activity_id)
    if facility_id:
        slots = slots.filter(unit__activity__facility_id=facility_id)
    return slots


def day_cancellation_preview(*, day, activity_id=None, facility_id=None, school="") -> dict:
    """What a collective cancellation would touch, as the service selects it: live
    reservations of the day in the scope, their families, and the days it would close."""
    slots = _scope_slots(day=day, activity_id=activity_id, facility_id=facility_id)
    reservations = Reservation.objects.filter(slot__in=slots, status__in=ACTIVE)
    if school:
        reservations = reservations.filter(child__school__iexact=school.strip())
    figures = reservations.aggregate(
        reservations=Count("pk"),
        families=Count("family", distinct=True),
        children=Count("child", distinct=True),
    )
    figures["slots_to_close"] = 0 if school else slots.filter(is_closed=False).count()
    return figures


def _render(request, form, **context):
    return TemplateResponse(request, TEMPLATE, {"form": form, **context})


def collective_cancellation_view(request):
    if not request.user.has_perms(PERMISSIONS):
        raise PermissionDenied
    if request.method != "POST":
        initial = {key: request.GET[key] for key in ("day", "activity") if request.GET.get(key)}
        return _render(request, CollectiveCancellationForm(initial=initial))
    form = CollectiveCancellationForm(request.POST)
    if not form.is_valid() or "edit" in request.POST:
        return _render(request, form)
    data = form.cleaned_data
    scope = scope_of(data)
    if "confirm" not in request.POST:
        return _render(
            request,
            form,
            preview=day_cancellation_preview(day=data["day"], **scope),
            is_past=data["day"] < timezone.localdate(),
        )
    now = timezone.now()
    try:
        cancelled = day_cancel_collectively(
            day=data["day"], reason=data["reason"].strip(), actor=request.user, now=now, **scope
        )
    except ReservationError as error:
        form.add_error(None, error.message)
        return _render(request, form)
    families = (
        Reservation.objects.filter(day=data["day"], cancelled_by_commune=True, decided_at=now)
        .values("family")
        .distinct()
        .count()
    )
    messages.success(
        request,
        " ".join(
            [
                _("Day of %(day)s cancelled.") % {"day": f"{data['day']:%d/%m/%Y}"},
                ngettext(
                    "%(count)s reservation cancelled, not billed;",
                    "%(count)s reservations cancelled, not billed;",
                    cancelled,
                )
                % {"count": cancelled},
                ngettext("%(count)s family notified.", "%(count)s families notified.", families)
                % {"count": families},
            ]
        ),
    )
    return redirect(reverse(CANCELLATION_URL_NAME))


@hooks.register("register_admin_urls")
def register_cancellation_url():
    return [
        path(
            "reservations/collective-cancellation/",
            collective_cancellation_view,
            name=CANCELLATION_URL_NAME,
        )
    ]
