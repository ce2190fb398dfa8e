"""The e-mail copy of an alert, written by the task worker: the alert and its recipients are
read there, its link resolved there, when the e-mail is written."""

from django.urls import NoReverseMatch
from django.utils import translation
from django_tasks import task

from core.emails import enqueue_on_commit, send_templated_email_now

from ..models import Guardian, Notification
from ..portal.urls import portal_absolute_url

TEMPLATE_DIR = "portal_features/alerts/emails"


def notification_email_queue(*, notification_id: int) -> None:
    """Queue the copies of `notification_id`, in the current language, once the caller's
    transaction commits (never for a rolled-back one)."""
    enqueue_on_commit(
        notification_email_copies,
        notification_id=notification_id,
        language=translation.get_language(),
    )


@task()
def notification_email_copies(*, notification_id: int, language: str) -> int:
    """In the worker: one copy of the alert to each guardian with an active account who
    agreed to e-mails; returns how many were sent."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None:  # the family's file was erased meanwhile
        return 0
    recipients = list(
        Guardian.objects.filter(
            family_id=notification.family_id, consents_to_email=True, user__is_active=True
        )
        .exclude(user__isnull=True)
        .values_list("user__email", flat=True)
    )
    if not recipients:
        return 0
    with translation.override(language):
        link, link_url = notification.link, ""
        if link is not None:
            try:
                link_url = portal_absolute_url(link.view, **link.kwargs)
            except NoReverseMatch:  # a screen since removed: the copy goes without its link
                link_url = ""
        context = {"notification": notification, "link_url": link_url}
        for email in recipients:
            send_templated_email_now(
                template_dir=TEMPLATE_DIR, name="notification", context=context, to_address=email
            )
    return len(recipients)
