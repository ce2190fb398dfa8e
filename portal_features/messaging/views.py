"""« Messagerie »: the family's conversations with the commune's services."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError, UploadError
from core.storage import private_file_response

from ..portal.family import family_required
from ..portal.urls import portal_reverse
from ..portal.views import portal_render
from .forms import ATTACHMENT_FIELDS, ReplyForm, ThreadStartForm
from .selectors import attachment_for_family, thread_for_family, thread_messages, threads_for_family
from .services import (
    message_post_by_family,
    thread_mark_read_by_family,
    thread_start,
)

TEMPLATES = "portal_features/messaging"


def _add_error(form, error: DomainError) -> None:
    """A refused file next to its field (the form lists the files in the fields' order)."""
    if isinstance(error, UploadError):
        filled = [name for name in ATTACHMENT_FIELDS if form.cleaned_data.get(name)]
        if filled:
            form.add_error(filled[min(error.index, len(filled) - 1)], error.message)
            return
    form.add_error(None, error.message)


@require_http_methods(["GET"])
@family_required
def thread_list(request):
    return portal_render(
        request,
        f"{TEMPLATES}/thread_list.html",
        {"threads": threads_for_family(family=request.family)},
    )


@require_http_methods(["GET", "POST"])
@family_required
def thread_new(request):
    form = ThreadStartForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        theme = form.cleaned_data["theme"]
        try:
            thread = thread_start(
                family=request.family,
                service=theme.service,
                theme=theme,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                attachments=form.attachments,
                user=request.user,
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Your message has been sent."))
            return HttpResponseRedirect(
                portal_reverse(request, "messaging:thread_detail", thread.pk)
            )
    return portal_render(request, f"{TEMPLATES}/thread_new.html", {"form": form})


@require_http_methods(["GET", "POST"])
@family_required
def thread_detail(request, thread_id):
    thread = thread_for_family(family=request.family, thread_id=thread_id)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            message_post_by_family(
                thread=thread,
                body=form.cleaned_data["body"],
                attachments=form.attachments,
                user=request.user,
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Your reply has been sent."))
            return HttpResponseRedirect(
                portal_reverse(request, "messaging:thread_detail", thread.pk)
            )
    was_unread = thread.family_unread
    thread_mark_read_by_family(thread=thread)
    return portal_render(
        request,
        f"{TEMPLATES}/thread_detail.html",
        {
            "thread": thread,
            "thread_messages": thread_messages(thread=thread),
            "was_unread": was_unread,
            "form": form,
        },
    )


@require_http_methods(["GET"])
@family_required
def attachment_download(request, attachment_id):
    attachment = attachment_for_family(family=request.family, attachment_id=attachment_id)
    return private_file_response(attachment)
