"""Reads of the family's conversations: always through the family."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from ..models import MessageAttachment, Theme, Thread


def threads_for_family(*, family):
    """Newest activity first, with what the list shows (no query per line)."""
    return (
        Thread.objects.for_family(family)
        .select_related("service", "theme")
        .order_by("-last_message_at", "-pk")
    )


def thread_for_family(*, family, thread_id: int) -> Thread:
    """One of the family's conversations; another family's id gives a 404."""
    return get_object_or_404(threads_for_family(family=family), pk=thread_id)


def thread_messages(*, thread):
    return thread.messages.select_related("author").prefetch_related(
        Prefetch("attachments", queryset=MessageAttachment.objects.order_by("pk"))
    )


def attachment_for_family(*, family, attachment_id: int) -> MessageAttachment:
    return get_object_or_404(MessageAttachment.objects.for_family(family), pk=attachment_id)


def themes_open_to_families():
    """The themes a family may write about: active, of an active service."""
    return (
        Theme.objects.filter(is_active=True, service__is_active=True)
        .select_related("service")
        .order_by("service__name", "name")
    )


def unread_threads_count(*, family) -> int:
    return Thread.objects.for_family(family).filter(family_unread=True).count()
