"""The family's private iCalendar feed: a secret address its calendar application reads.

The token is the only key to the feed (calendar applications cannot log in), so it is long
and random, and a new one replaces the old one at once: whoever knew the old address loses
access when the family regenerates or revokes it.
"""

import logging
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal_features.audit import family_event_record
from portal_features.models import FamilyEvent

from ..models import CalendarFeed

logger = logging.getLogger(__name__)

# 32 random bytes: 43 URL-safe characters, well within CalendarFeed.token's 64.
TOKEN_BYTES = 32


def calendar_feed_create(*, family, user, now=None) -> CalendarFeed:
    """Give the family a feed address; if it has one, replace its secret (the old address
    stops working)."""
    now = now or timezone.now()
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(family=family).first()
        renewed = feed is not None
        if feed is None:
            feed = CalendarFeed(family=family)
        feed.token = secrets.token_urlsafe(TOKEN_BYTES)
        feed.created_at = now
        feed.save()
        family_event_record(
            family=family,
            actor=user,
            action=FamilyEvent.Action.CHANGED if renewed else FamilyEvent.Action.CREATED,
            description=_("New address of the calendar feed")
            if renewed
            else _("Calendar feed created"),
            data={"subject": "calendar_feed"},
            now=now,
        )
    logger.info("Calendar feed %s for family %s", "renewed" if renewed else "created", family.pk)
    return feed


def calendar_feed_revoke(*, family, user, now=None) -> bool:
    """Delete the family's feed address; returns whether there was one."""
    now = now or timezone.now()
    with transaction.atomic():
        deleted, _detail = CalendarFeed.objects.filter(family=family).delete()
        if deleted:
            family_event_record(
                family=family,
                actor=user,
                action=FamilyEvent.Action.CHANGED,
                description=_("Calendar feed revoked"),
                data={"subject": "calendar_feed"},
                now=now,
            )
    return bool(deleted)
