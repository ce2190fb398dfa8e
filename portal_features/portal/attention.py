"""What needs the family's attention, shown on the portal home.

Each feature adds a provider: a function taking the family and the request and returning
AttentionItem objects (missing documents, unread messages, unread alerts…). The apps above
portal_features (reservations) register theirs from their AppConfig.ready().

The home lists the urgent items first, whichever feature gives them: a place offered with
its deadline, then requests refused lately, then what blocks a booking (a document
missing); then the rest in the order of the providers.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from django.utils.module_loading import import_string

PROVIDERS = [
    "portal_features.change_requests.attention.attention_items",
    "portal_features.documents.attention.attention_items",
    "portal_features.messaging.attention.attention_items",
    "portal_features.alerts.attention.attention_items",
]
_registered: list[Callable] = []


def register_attention_provider(provider: Callable) -> None:
    """Add `provider(family, request)` to what the portal home lists, after ours."""
    if provider not in _registered:
        _registered.append(provider)


class Priority(IntEnum):
    """The order of the home's items (smaller first); below TODO, an item is urgent."""

    DEADLINE = 10  # to answer before a date (a place offered from the waiting list)
    REFUSED = 20  # a request refused lately
    BLOCKING = 30  # blocks a booking (a document missing, refused or expired)
    TODO = 50
    INFO = 90


@dataclass(frozen=True)
class AttentionItem:
    text: str
    url: str
    level: str = "info"  # "info", "warning" (to do) or "error" (blocking)
    priority: int = Priority.TODO

    @property
    def urgent(self) -> bool:
        return self.priority < Priority.TODO


def attention_items(family, request) -> list[AttentionItem]:
    items = []
    for path in PROVIDERS:
        try:
            provider = import_string(path)
        except ImportError:
            continue  # that feature is not installed
        items.extend(provider(family, request))
    for provider in _registered:
        items.extend(provider(family, request))
    return sorted(items, key=lambda item: item.priority)  # stable: providers' order kept
