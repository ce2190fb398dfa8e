"""On the portal home: the alerts the family has not seen yet."""

from django.utils.translation import ngettext

from ..portal.attention import AttentionItem
from ..portal.urls import portal_reverse
from ..portal.views import unread_alerts


def attention_items(family, request) -> list[AttentionItem]:
    # The menu's badge shows the same count: read once for both.
    count = unread_alerts(request, family)
    if not count:
        return []
    return [
        AttentionItem(
            text=ngettext("%(count)d unread alert", "%(count)d unread alerts", count)
            % {"count": count},
            url=portal_reverse(request, "alerts:list"),
        )
    ]
