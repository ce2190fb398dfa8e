"""Alerts ("Mes alertes"): every event that concerns a family, with an e-mail copy."""

from django.db import transaction
from django.utils import timezone

from core.emails import absolute_url, send_templated_email

from ..models import Guardian, Notification

TEMPLATE_DIR = "portal_features/alerts/emails"


def notification_create(
    *, family, kind: str, title: str, body: str = "", link: str = "", email=True, now=None
) -> Notification:
    """Store the alert, then (once the caller's transaction commits) e-mail a copy to each
    guardian with an account who agreed to receive e-mails; `email=False` when the caller
    sends its own, fuller e-mail (an order's receipt)."""
    notification = Notification.objects.create(
        family=family,
        kind=kind,
        title=title,
        body=body,
        link=link,
        created_at=now or timezone.now(),
    )
    if not email:
        return notification
    recipients = list(
        Guardian.objects.filter(family=family, consents_to_email=True, user__is_active=True)
        .exclude(user__isnull=True)
        .values_list("user__email", flat=True)
    )
    if recipients:
        transaction.on_commit(lambda: _email_copies(notification, recipients))
    return notification


def _email_copies(notification, recipients: list[str]) -> None:
    link = notification.link
    context = {
        "notification": notification,
        "link_url": absolute_url(link) if link.startswith("/") else link,
    }
    for email in recipients:
        send_templated_email(
            template_dir=TEMPLATE_DIR, name="notification", context=context, to_address=email
        )


def notifications_mark_read(*, family, notification_ids=None, now=None) -> int:
    """Mark the family's unread alerts (all, or those given) as read; returns how many."""
    unread = Notification.objects.for_family(family).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=now or timezone.now())
