"""On the portal home: the changes to the family's file the services refused lately (one
query, whatever the family's size)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext

from core.choices import RequestStatus

from ..models import ChangeRequest
from ..portal.attention import AttentionItem, Priority
from ..portal.urls import portal_reverse

# A refusal stays on the home page this long after the decision.
REFUSAL_SHOWN_FOR = datetime.timedelta(days=30)


def attention_items(family, request) -> list[AttentionItem]:
    refused = list(
        ChangeRequest.objects.filter(
            family=family,
            status=RequestStatus.REFUSED,
            decided_at__gte=timezone.now() - REFUSAL_SHOWN_FOR,
        ).order_by("-decided_at", "-pk")
    )
    if not refused:
        return []
    url = portal_reverse(request, "family_file:requests")
    return [
        AttentionItem(
            text=gettext("Change refused: %(summary)s") % {"summary": change.summary},
            url=url,
            level="warning",
            priority=Priority.REFUSED,
        )
        for change in refused
    ]
