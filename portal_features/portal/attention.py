"""What needs the family's attention, shown on the portal home.

Each feature adds a provider: a function taking the family and the request and returning
AttentionItem objects (missing documents, unread messages, unread alerts…).
"""

from dataclasses import dataclass

from django.utils.module_loading import import_string

PROVIDERS = [
    "portal_features.documents.attention.attention_items",
    "portal_features.messaging.attention.attention_items",
    "portal_features.alerts.attention.attention_items",
    "reservations.attention.attention_items",
]


@dataclass(frozen=True)
class AttentionItem:
    text: str
    url: str
    level: str = "info"  # "info", "warning" (to do) or "error" (blocking)


def attention_items(family, request) -> list[AttentionItem]:
    items = []
    for path in PROVIDERS:
        try:
            provider = import_string(path)
        except ImportError:
            continue  # that feature is not installed
        items.extend(provider(family, request))
    return items
