"""Alerts ("Mes alertes"): every event that concerns a family, with an e-mail copy.

An alert is created by `alerts.tell.family_tell`, with the event on the family's file."""

from django.utils import timezone

from ..models import Notification


def notifications_mark_read(*, family, notification_ids=None, now=None) -> int:
    """Mark the family's unread alerts (all, or those given) as read; returns how many."""
    unread = Notification.objects.for_family(family).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=now or timezone.now())
