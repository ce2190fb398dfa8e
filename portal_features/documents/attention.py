"""On the portal home: required documents missing, refused, expired or expiring soon."""

from django.utils import timezone
from django.utils.translation import gettext

from ..portal.attention import AttentionItem, Priority
from ..portal.urls import portal_reverse
from .selectors import LineState, document_checklist


def _text(line) -> str:
    # Each msgid written out so that makemessages finds it.
    if line.state == LineState.MISSING:
        return gettext("Document to send: %(document)s") % {"document": line.label}
    if line.state == LineState.REFUSED:
        return gettext("Document refused, to send again: %(document)s") % {"document": line.label}
    if line.state == LineState.EXPIRED:
        return gettext("Document expired, to send again: %(document)s") % {"document": line.label}
    return gettext("Document expiring soon: %(document)s") % {"document": line.label}


def attention_items(family, request) -> list[AttentionItem]:
    checklist = document_checklist(family, today=timezone.localdate())
    to_act_on = checklist.to_act_on
    if not to_act_on:
        return []
    url = portal_reverse(request, "documents:list")
    return [
        AttentionItem(
            text=_text(line),
            # The upload form, with this document and child already chosen.
            url=f"{url}?slot={line.slot}#upload-heading",
            level=line.level,
            priority=Priority.BLOCKING if line.state != LineState.EXPIRING else Priority.TODO,
        )
        for line in to_act_on
    ]
