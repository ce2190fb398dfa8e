"""Messages between a family and a service of the commune ("Messagerie").

Every change goes through these functions: the portal's views and the staff screens call
them. Attachments are checked by content (uploads.check_upload), within the family's quota
and hourly rate (upload_limits; staff's attachments are not counted), and saved in the private
storage; if anything fails, the files already written are removed, so nothing is left behind.
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.emails import absolute_url, send_templated_email
from core.errors import UploadError
from core.uploads import CheckedUpload, check_upload

from ..alerts.kinds import AlertKind
from ..alerts.tell import FileEvent, family_tell
from ..audit import family_event_record
from ..errors import PortalError
from ..models import FamilyEvent, Link, Message, MessageAttachment, Notification, Thread
from ..upload_limits import family_uploads_reserve

MAX_ATTACHMENTS = 3
EMAIL_TEMPLATES = "portal_features/messaging/emails"


def checked_attachments(attachments) -> list[CheckedUpload]:
    """At most three files, each a real PDF, JPEG or PNG of at most 6 MB."""
    attachments = [upload for upload in (attachments or ()) if upload]
    if len(attachments) > MAX_ATTACHMENTS:
        raise PortalError(
            _("You can attach at most %(maximum)d files to a message.")
            % {"maximum": MAX_ATTACHMENTS}
        )
    checked = []
    for index, upload in enumerate(attachments):
        try:
            checked.append(check_upload(upload))
        except ValidationError as error:
            raise UploadError(
                _("%(name)s: %(error)s") % {"name": upload.name, "error": error.messages[0]},
                index=index,
            ) from error
    return checked


@contextmanager
def _files_removed_on_failure():
    """Collects the names of the files written; removes them if the block fails."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        storage = MessageAttachment._meta.get_field("file").storage
        for name in written:
            storage.delete(name)
        raise


def _message_create(
    *, thread, body: str, checked: list[CheckedUpload], author, from_staff: bool, now, written
) -> Message:
    body = (body or "").strip()
    if not body:
        raise PortalError(_("The message is empty."))
    message = Message.objects.create(
        thread=thread, author=author, from_staff=from_staff, body=body, sent_at=now
    )
    for upload in checked:
        attachment = MessageAttachment(
            message=message,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
        )
        attachment.file.save("upload", upload.file, save=False)
        written.append(attachment.file.name)
        attachment.save()
    return message


def _record_sent_by_family(thread, message, *, user, now) -> None:
    """On the family's file: a message sent to the thread's service."""
    family_event_record(
        family=thread.family,
        actor=user,
        action=FamilyEvent.Action.CREATED,
        description=_("Message sent to %(service)s: %(subject)s")
        % {"service": thread.service.name, "subject": thread.subject},
        data={"thread": thread.pk, "message": message.pk},
        now=now,
    )


def thread_start(
    *, family, service, theme, subject: str, body: str, attachments=(), user, now=None
) -> Thread:
    """A family writes to a service about one of its themes."""
    now = now or timezone.now()
    if not (service.is_active and theme.is_active and theme.service_id == service.pk):
        raise PortalError(_("Choose a service and a theme among those offered."))
    subject = (subject or "").strip()
    if not subject:
        raise PortalError(_("The subject is empty."))
    checked = checked_attachments(attachments)
    with _files_removed_on_failure() as written, transaction.atomic():
        family_uploads_reserve(family=family, sizes=[upload.size for upload in checked], now=now)
        thread = Thread.objects.create(
            family=family,
            service=service,
            theme=theme,
            subject=subject,
            created_at=now,
            last_message_at=now,
            family_unread=False,
            staff_unread=True,
        )
        message = _message_create(
            thread=thread,
            body=body,
            checked=checked,
            author=user,
            from_staff=False,
            now=now,
            written=written,
        )
        _record_sent_by_family(thread, message, user=user, now=now)
        _notify_service(thread, message)
    return thread


def message_post_by_family(*, thread, body: str, attachments=(), user, now=None) -> Message:
    """The family answers in one of its conversations (the view found it by request.family)."""
    now = now or timezone.now()
    checked = checked_attachments(attachments)
    with _files_removed_on_failure() as written, transaction.atomic():
        # The family first, then the thread: the order every family upload locks in.
        family_uploads_reserve(
            family=thread.family, sizes=[upload.size for upload in checked], now=now
        )
        thread = Thread.objects.select_for_update().select_related("service").get(pk=thread.pk)
        message = _message_create(
            thread=thread,
            body=body,
            checked=checked,
            author=user,
            from_staff=False,
            now=now,
            written=written,
        )
        thread.last_message_at = now
        thread.staff_unread = True
        thread.save(update_fields=["last_message_at", "staff_unread"])
        _record_sent_by_family(thread, message, user=user, now=now)
        _notify_service(thread, message)
    return message


def message_post_by_staff(*, thread, body: str, attachments=(), actor, now=None) -> Message:
    """Staff answer from the admin; the family gets an alert (and its e-mail copy)."""
    now = now or timezone.now()
    checked = checked_attachments(attachments)
    with _files_removed_on_failure() as written, transaction.atomic():
        thread = (
            Thread.objects.select_for_update().select_related("family", "service").get(pk=thread.pk)
        )
        message = _message_create(
            thread=thread,
            body=body,
            checked=checked,
            author=actor,
            from_staff=True,
            now=now,
            written=written,
        )
        thread.last_message_at = now
        thread.family_unread = True
        thread.staff_unread = False
        thread.save(update_fields=["last_message_at", "family_unread", "staff_unread"])
        family_tell(
            thread.family,
            kind=AlertKind.NEW_MESSAGE,
            title=_("New message from %(service)s: %(subject)s")
            % {"service": thread.service.name, "subject": thread.subject},
            link=thread_link(thread),
            actor=actor,
            event=FileEvent(
                FamilyEvent.Action.CREATED,
                _("Reply from %(service)s: %(subject)s")
                % {"service": thread.service.name, "subject": thread.subject},
                data={"thread": thread.pk, "message": message.pk},
            ),
            now=now,
        )
    return message


def thread_mark_read_by_family(*, thread, now=None) -> None:
    """The family opened the conversation: it and its "new message" alerts are read."""
    if not thread.family_unread:
        return
    Thread.objects.filter(pk=thread.pk).update(family_unread=False)
    thread.family_unread = False
    link = thread_link(thread)
    Notification.objects.for_family(thread.family_id).unread().filter(
        kind=AlertKind.NEW_MESSAGE, link_view=link.view, link_kwargs__thread_id=thread.pk
    ).update(read_at=now or timezone.now())


def thread_mark_read_by_staff(*, thread) -> None:
    if not thread.staff_unread:
        return
    Thread.objects.filter(pk=thread.pk).update(staff_unread=False)
    thread.staff_unread = False


def thread_link(thread) -> Link:
    """The conversation on the portal, for its alerts."""
    return Link("messaging:thread_detail", thread_id=thread.pk)


def _notify_service(thread, message) -> None:
    """Tell the service's address (if any) that a family wrote; the body stays in the portal."""
    service = thread.service
    if not service.email:
        return
    context = {
        "thread": thread,
        "family": thread.family,
        "message": message,
        "attachments_count": len(message.attachments.all()),
        "admin_url": absolute_url(
            reverse("portal_features_thread_modeladmin_inspect", args=[thread.pk])
        ),
    }
    # Sent once the conversation is saved; never for a rolled-back one.
    transaction.on_commit(
        lambda: send_templated_email(
            template_dir=EMAIL_TEMPLATES,
            name="staff_new_message",
            context=context,
            to_address=service.email,
        )
    )
