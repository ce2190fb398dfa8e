"""« Mes documents »: the checklist of supporting documents, sending one, downloading one."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.storage import private_file_response

from ..portal.family import family_required
from ..portal.urls import portal_reverse
from ..portal.views import portal_render
from .forms import DocumentUploadForm
from .selectors import document_checklist, document_for_family
from .services import supporting_document_upload

TEMPLATES = "portal_features/documents"


def _render_checklist(request, checklist, form, *, status=None):
    return portal_render(
        request,
        f"{TEMPLATES}/list.html",
        {"checklist": checklist, "form": form},
        status=status,
    )


def _form(checklist, *args, **kwargs):
    return DocumentUploadForm(
        *args, document_types=checklist.document_types, children=checklist.children, **kwargs
    )


@require_http_methods(["GET"])
@family_required
def document_list(request):
    checklist = document_checklist(request.family, today=timezone.localdate())
    form = _form(checklist, initial={"slot": request.GET.get("slot", "")})
    return _render_checklist(request, checklist, form)


@require_http_methods(["POST"])
@family_required
def document_upload(request):
    checklist = document_checklist(request.family, today=timezone.localdate())
    form = _form(checklist, request.POST, request.FILES)
    if form.is_valid():
        try:
            supporting_document_upload(
                family=request.family,
                document_type=form.document_type,
                child=form.child,
                uploaded_file=form.cleaned_data["file"],
                user=request.user,
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            messages.success(
                request,
                gettext("Your document is sent. The service will check it and tell you."),
            )
            return redirect(portal_reverse(request, "documents:list"))
    return _render_checklist(request, checklist, form)


@require_http_methods(["GET"])
@family_required
def document_download(request, document_id):
    document = document_for_family(family=request.family, document_id=document_id)
    return private_file_response(document)
