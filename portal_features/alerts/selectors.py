"""Reads of the family's alerts."""

from ..models import Notification


def notifications_for_family(*, family):
    return Notification.objects.for_family(family).order_by("-created_at", "-pk")


def unread_notifications_count(*, family) -> int:
    return Notification.objects.for_family(family).unread().count()
