"""Absences as families live them: one declaration for several days and units with one
certificate, and the certificate sent after declaring (the doctor was seen later)."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from core.errors import UploadError
from core.submit import form_submit
from portal_features.portal.family import family_required
from portal_features.portal.urls import portal_reverse
from portal_features.portal.views import portal_render

from ..errors import CertificateError, ReservationError
from ..selectors.history import declarable_reservations, reservation_for_family
from ..services.absences import absence_certificate_add, absences_declare
from .calendar_forms import AbsencesForm, CertificateForm
from .calendar_grid import week_param

TEMPLATES = "reservations/portal"


def _declared(absences) -> str:
    return ngettext(
        "Your absence on %(count)d day is declared. The service will tell you its decision.",
        "Your absence on %(count)d days is declared. The service will tell you its decision.",
        len(absences),
    ) % {"count": len(absences)}


@require_http_methods(["GET", "POST"])
@family_required
def absences_declare_view(request):
    now = timezone.now()
    reservations = declarable_reservations(family=request.family, now=now)
    if request.method == "POST":
        form = AbsencesForm(request.POST, request.FILES, reservations=reservations)
    else:
        wanted = request.GET.get("reservation", "")
        offered = {reservation.pk for reservation in reservations}
        ticked = [int(wanted)] if wanted.isdigit() and int(wanted) in offered else []
        form = AbsencesForm(reservations=reservations, initial={"reservations": ticked})
    try:
        response = form_submit(
            request,
            form,
            lambda data: absences_declare(
                family=request.family,
                reservation_ids=data["reservations"],
                user=request.user,
                reason=data["reason"],
                comment=data["comment"],
                certificate=data["certificate"],
                now=now,
            ),
            done=_declared,
            then=lambda absences: (
                portal_reverse(request, "reservations:calendar")
                + f"?week={week_param(absences[0].reservation.day)}"
            ),
            file_field="certificate",
        )
    except ObjectDoesNotExist as missing:
        raise Http404 from missing
    if response:
        return response
    return portal_render(
        request,
        f"{TEMPLATES}/absences_form.html",
        {"form": form, "has_days": bool(reservations)},
    )


@require_http_methods(["GET", "POST"])
@family_required
def absence_certificate_add_view(request, reservation_id):
    # The family's reservation first, whatever the method: another family's id is a 404.
    reservation = reservation_for_family(request.family, reservation_id)
    detail_url = portal_reverse(
        request, "reservations:reservation_detail", reservation_id=reservation.pk
    )
    absence = getattr(reservation, "absence", None)
    if request.method != "POST":
        return redirect(detail_url)  # the form lives on the day's page
    if absence is None:
        messages.error(request, _("No absence is declared for this day."))
        return redirect(detail_url)
    form = CertificateForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("certificate", []):
            messages.error(request, error)
        return redirect(detail_url)
    try:
        added = absence_certificate_add(
            family=request.family,
            absence_id=absence.pk,
            user=request.user,
            certificate=form.cleaned_data["certificate"],
        )
    except (CertificateError, UploadError, ReservationError) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "The medical certificate is added to the absence.",
                "The medical certificate is added to the %(count)d days of this absence.",
                len(added),
            )
            % {"count": len(added)},
        )
    return redirect(detail_url)
