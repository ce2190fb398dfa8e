"""« Inscriptions et réservations »: the hub, the yearly file ("dossier administratif"),
registrations to activities ("ouvrir une ligne d'activité") and "What is missing?".

Each view reads its input, calls one service and renders; what may be done is decided by
the services and reservations.eligibility, never here.
"""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from core.choices import RequestStatus
from core.french import elide
from core.time import local_today
from portal_features.portal.family import family_required
from portal_features.portal.urls import portal_reverse
from portal_features.portal.views import portal_render

from ..errors import ReservationError
from ..selectors.requests import (
    enrolment_file,
    family_children,
    registration_choices,
    registration_for_family,
    requests_history,
    requests_hub,
)
from ..services import requests as services
from .requests_forms import EnrolmentForm, RegistrationCreateForm

TEMPLATES = "reservations/portal"


@require_http_methods(["GET"])
@family_required
def hub(request):
    today = local_today()
    return portal_render(
        request, f"{TEMPLATES}/hub.html", {"hub": requests_hub(request.family, today=today)}
    )


@require_http_methods(["GET"])
@family_required
def registrations(request):
    return portal_render(
        request,
        f"{TEMPLATES}/registrations.html",
        {"history": requests_history(request.family)},
    )


@require_http_methods(["GET", "POST"])
@family_required
def enrolment_submit(request, child_id, school_year_id):
    now = timezone.now()
    file = enrolment_file(
        request.family,
        child_id=child_id,
        school_year_id=school_year_id,
        today=local_today(now),
    )
    form = EnrolmentForm(request.POST if request.method == "POST" else None)
    error = None
    if form.is_bound and form.is_valid():
        try:
            services.enrolment_submit(
                family=request.family,
                child_id=file.child.pk,
                school_year_id=file.school_year.pk,
                user=request.user,
                comment=form.cleaned_data["comment"],
                now=now,
            )
        except ObjectDoesNotExist as missing:
            raise Http404 from missing
        except ReservationError as refused:
            error = refused
        else:
            messages.success(
                request,
                elide(
                    gettext(
                        "The administrative file %(year)s of %(child)s is sent. The service "
                        "will check it and tell you."
                    )
                    % {"year": file.school_year, "child": file.child.first_name},
                    file.child.first_name,
                ),
            )
            return redirect(portal_reverse(request, "reservations:registrations"))
    return portal_render(
        request,
        f"{TEMPLATES}/enrolment_form.html",
        {"file": file, "form": form, "error": error},
    )


def _selected_child(children, value):
    """The child chosen in the list; any other id (another family's included) is a 404."""
    if value in (None, ""):
        return children[0] if len(children) == 1 else None
    try:
        child_id = int(value)
    except (TypeError, ValueError) as error:
        raise Http404 from error
    child = next((child for child in children if child.pk == child_id), None)
    if child is None:
        raise Http404
    return child


def _render_registration_form(request, *, children, child, now, error=None, status=None):
    return portal_render(
        request,
        f"{TEMPLATES}/registration_form.html",
        {
            "children": children,
            "selected_child": child,
            "school_years": registration_choices(request.family, child, now=now)
            if child is not None
            else [],
            "error": error,
        },
        status=status,
    )


def _registered_message(registration) -> str:
    values = {"child": registration.child.first_name, "activity": registration.activity}
    if registration.status == RequestStatus.ACCEPTED:
        return (
            gettext("%(child)s is registered to %(activity)s: the registration is validated.")
            % values
        )
    return elide(
        gettext(
            "The registration of %(child)s to %(activity)s is sent, awaiting validation by "
            "the service."
        )
        % values,
        registration.child.first_name,
    )


@require_http_methods(["GET", "POST"])
@family_required
def registration_new(request):
    now = timezone.now()
    children = family_children(request.family)
    if request.method == "GET":
        child = _selected_child(children, request.GET.get("child"))
        return _render_registration_form(request, children=children, child=child, now=now)

    form = RegistrationCreateForm(request.POST)
    if not form.is_valid():
        raise Http404
    child = _selected_child(children, form.cleaned_data["child"])
    try:
        registration = services.registration_create(
            family=request.family,
            child_id=child.pk,
            activity_id=form.cleaned_data["activity"],
            user=request.user,
            now=now,
        )
    except ObjectDoesNotExist as missing:
        raise Http404 from missing
    except ReservationError as refused:
        return _render_registration_form(
            request, children=children, child=child, now=now, error=refused
        )
    messages.success(request, _registered_message(registration))
    url = portal_reverse(request, "reservations:registration_new")
    return redirect(f"{url}?child={child.pk}#activity-{registration.activity_id}")


@require_http_methods(["GET", "POST"])
@family_required
def registration_withdraw(request, registration_id):
    url = portal_reverse(request, "reservations:registrations")
    if request.method == "GET":
        # The button lives on « Mes inscriptions »; the address alone changes nothing.
        registration = registration_for_family(request.family, registration_id)
        return redirect(f"{url}#registration-{registration.pk}")
    try:
        registration = services.registration_withdraw(
            family=request.family,
            registration_id=registration_id,
            user=request.user,
            now=timezone.now(),
        )
    except ObjectDoesNotExist as missing:
        raise Http404 from missing
    except ReservationError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            elide(
                gettext("The registration of %(child)s to %(activity)s is withdrawn.")
                % {"child": registration.child.first_name, "activity": registration.activity},
                registration.child.first_name,
            ),
        )
    return redirect(url)
