"""On the portal home: the alerts the family has not seen yet."""

from django.utils.translation import ngettext

from ..portal.attention import AttentionItem
from ..portal.urls import portal_reverse
from .selectors import unread_notifications_count


def attention_items(family, request) -> list[AttentionItem]:
    count = unread_notifications_count(family=family)
    if not count:
        return []
    return [
        AttentionItem(
            text=ngettext("%(count)d unread alert", "%(count)d unread alerts", count)
            % {"count": count},
            url=portal_reverse(request, "alerts:list"),
        )
    ]
