"""On the portal home: the services' replies the family has not read yet."""

from django.utils.translation import ngettext

from ..portal.attention import AttentionItem
from ..portal.urls import portal_reverse
from .selectors import unread_threads_count


def attention_items(family, request) -> list[AttentionItem]:
    count = unread_threads_count(family=family)
    if not count:
        return []
    return [
        AttentionItem(
            text=ngettext(
                "%(count)d conversation with an unread reply",
                "%(count)d conversations with an unread reply",
                count,
            )
            % {"count": count},
            url=portal_reverse(request, "messaging:thread_list"),
            level="warning",
        )
    ]
