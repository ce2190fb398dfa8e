"""« Mon dossier »: the family file, the forms that send change requests, « Mes demandes »."""

import copy

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from core.french import elide
from core.submit import form_submit
from core.time import local_today

from ..change_requests.display import readable_requests
from ..change_requests.hooks import new_child_files
from ..change_requests.services import CREATE, DELETE, UPDATE, change_request_submit
from ..errors import PortalError
from ..models import AuthorizedPerson, Child, DocumentType, Guardian, HealthRecord
from ..portal.family import family_required
from ..portal.urls import portal_reverse
from ..portal.views import portal_render
from . import selectors
from .forms import (
    AuthorizedPersonForm,
    ChildForm,
    ConsentsForm,
    FamilyForm,
    GuardianForm,
    GuardianInviteForm,
    HealthRecordForm,
    NewChildForm,
    QuotientForm,
    VaccinationForm,
)
from .services import guardian_invite as guardian_invite_service

TEMPLATES = "portal_features/family_file"


@family_required
def overview(request):
    file = selectors.family_file(request.family)
    return portal_render(
        request,
        f"{TEMPLATES}/overview.html",
        {
            "file": file,
            "can_invite": any(guardian.user_id is None for guardian in file.guardians),
        },
    )


@family_required
def child_detail(request, child_id):
    child = selectors.family_child(request.family, child_id)
    return portal_render(request, f"{TEMPLATES}/child_detail.html", {"child": child})


def _send_change(request, *, form, target, summary, heading, action=UPDATE, model=None, **extra):
    """Validate the form, send the request, then show « Mes demandes »; else the form again.
    A form with `request_extras()` sends more with the request (a new child's documents)."""
    response = form_submit(
        request,
        form,
        lambda _data: change_request_submit(
            family=request.family,
            target=target,
            changes=form.new_values(),
            user=request.user,
            summary=summary,
            action=action,
            model=model,
            **(form.request_extras() if hasattr(form, "request_extras") else {}),
        ),
        done=gettext("Your request is sent. The service will check it and tell you."),
        then=lambda _sent: portal_reverse(request, "family_file:requests"),
    )
    if response:
        return response
    return portal_render(
        request,
        f"{TEMPLATES}/change_form.html",
        {"form": form, "heading": heading, "summary": summary, **extra},
    )


@family_required
@require_http_methods(["GET", "POST"])
def family_edit(request):
    form = FamilyForm(request.POST or None, instance=copy.copy(request.family))
    return _send_change(
        request,
        form=form,
        target=request.family,
        summary=gettext("Family address, allowances and bank details"),
        heading=gettext("Change the family details"),
    )


@family_required
@require_http_methods(["GET", "POST"])
def quotient_edit(request):
    """A new quotient familial: staff check the attestation, then it applies from its date."""
    return _send_change(
        request,
        form=QuotientForm(request.POST or None),
        target=request.family,
        action=CREATE,
        model="quotientrecord",
        summary=gettext("New quotient familial"),
        heading=gettext("Give a new quotient familial"),
    )


@family_required
@require_http_methods(["GET", "POST"])
def guardian_edit(request, guardian_id):
    guardian = selectors.guardian_for_family(request.family, guardian_id)
    form = GuardianForm(request.POST or None, instance=copy.copy(guardian))
    return _send_change(
        request,
        form=form,
        target=guardian,
        summary=gettext("Guardian %(name)s") % {"name": guardian.full_name},
        heading=gettext("Change a guardian's details"),
    )


@family_required
@require_http_methods(["GET", "POST"])
def guardian_add(request):
    """A second guardian: staff add them when they accept; the family then invites them."""
    return _send_change(
        request,
        form=GuardianForm(request.POST or None, instance=Guardian()),
        target=request.family,
        action=CREATE,
        model="guardian",
        summary=gettext("New guardian"),
        heading=gettext("Add a guardian"),
    )


@family_required
@require_http_methods(["GET", "POST"])
def child_add(request):
    """A new child: staff create it when they accept (or link it, if another household of
    the commune already has it), with its documents and administrative file, in one step."""
    form = NewChildForm(
        request.POST or None,
        request.FILES or None,
        instance=Child(),
        document_types=DocumentType.objects.filter(scope=DocumentType.Scope.CHILD).order_by(
            "-is_required", "sort_order", "name"
        ),
        files=new_child_files(local_today()),
    )
    return _send_change(
        request,
        form=form,
        target=request.family,
        action=CREATE,
        model="child",
        summary=gettext("New child"),
        heading=gettext("Add a child"),
    )


@family_required
@require_http_methods(["GET", "POST"])
def child_edit(request, child_id):
    child = selectors.child_for_family(request.family, child_id)
    form = ChildForm(request.POST or None, instance=copy.copy(child))
    return _send_change(
        request,
        form=form,
        target=child,
        summary=gettext("Child %(name)s") % {"name": child},
        heading=gettext("Change a child's details"),
        child=child,
    )


@family_required
@require_http_methods(["GET", "POST"])
def health_edit(request, child_id):
    child = selectors.child_for_family(request.family, child_id)
    record = selectors.health_record_for_child(child)
    summary = elide(gettext("Health record of %(name)s") % {"name": child}, child)
    heading = gettext("Change the health record")
    if record is None:
        form = HealthRecordForm(request.POST or None, instance=copy.copy(HealthRecord(child=child)))
        return _send_change(
            request,
            form=form,
            target=child,
            action=CREATE,
            model="healthrecord",
            summary=summary,
            heading=heading,
            child=child,
        )
    form = HealthRecordForm(request.POST or None, instance=copy.copy(record))
    return _send_change(
        request, form=form, target=record, summary=summary, heading=heading, child=child
    )


@family_required
@require_http_methods(["GET", "POST"])
def vaccination_add(request, child_id):
    child = selectors.child_for_family(request.family, child_id)
    return _send_change(
        request,
        form=VaccinationForm(request.POST or None, child=child),
        target=child,
        action=CREATE,
        model="vaccination",
        summary=gettext("New vaccination for %(name)s") % {"name": child},
        heading=gettext("Add a vaccination"),
        child=child,
    )


@family_required
@require_http_methods(["GET", "POST"])
def authorized_person_add(request, child_id):
    child = selectors.child_for_family(request.family, child_id)
    form = AuthorizedPersonForm(
        request.POST or None, instance=AuthorizedPerson(family=request.family, child=child)
    )
    return _send_change(
        request,
        form=form,
        target=child,
        action=CREATE,
        model="authorizedperson",
        summary=gettext("New authorised person for %(name)s") % {"name": child},
        heading=gettext("Add an authorised person"),
        child=child,
    )


@family_required
@require_http_methods(["GET", "POST"])
def authorized_person_edit(request, person_id):
    person = selectors.authorized_person_for_family(request.family, person_id)
    if request.method == "POST" and "remove" in request.POST:
        try:
            change_request_submit(
                family=request.family,
                target=person,
                changes={},
                user=request.user,
                summary=gettext("Removal of the authorised person %(name)s for %(child)s")
                % {"name": person, "child": person.child},
                action=DELETE,
            )
        except PortalError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                gettext("Your request is sent. The service will check it and tell you."),
            )
            return redirect(portal_reverse(request, "family_file:requests"))
    form = AuthorizedPersonForm(
        request.POST if request.method == "POST" and "remove" not in request.POST else None,
        instance=copy.copy(person),
    )
    return _send_change(
        request,
        form=form,
        target=person,
        summary=gettext("Authorised person %(name)s for %(child)s")
        % {"name": person, "child": person.child},
        heading=gettext("Change an authorised person"),
        child=person.child,
        removable=person,
    )


@family_required
@require_http_methods(["GET", "POST"])
def consents_edit(request, child_id):
    child = selectors.family_child(request.family, child_id)
    form = ConsentsForm(request.POST or None, consent_rows=child.consent_rows)
    return _send_change(
        request,
        form=form,
        target=child,
        summary=gettext("Consents for %(name)s") % {"name": child},
        heading=gettext("Change the consents"),
        child=child,
    )


@family_required
def requests(request):
    page = Paginator(
        selectors.family_change_requests(request.family).order_by("-created_at", "-pk"), 20
    ).get_page(request.GET.get("page"))
    return portal_render(
        request,
        f"{TEMPLATES}/requests.html",
        {"page_obj": page, "change_requests": readable_requests(page.object_list, mask=True)},
    )


@family_required
@require_http_methods(["GET", "POST"])
def guardian_invite(request):
    guardians = selectors.guardians_to_invite(request.family)
    form = GuardianInviteForm(request.POST or None, guardians=guardians)
    if request.method == "POST" and form.is_valid():
        try:
            guardian_invite_service(
                family=request.family,
                guardian=form.cleaned_data["guardian"],
                email=form.cleaned_data["email"],
                user=request.user,
            )
        except PortalError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request,
                # The same whether an account uses the address or not.
                gettext("Invitation sent: %(email)s will receive an e-mail saying how to log in.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect(portal_reverse(request, "family_file:overview"))
    return portal_render(
        request,
        f"{TEMPLATES}/guardian_invite.html",
        {"form": form, "has_guardians": guardians.exists()},
    )
