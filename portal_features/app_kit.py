"""What an app of the family's portal registers when it starts, in one call from its
`AppConfig.ready()`: its alert kinds, the permissions its staff screens give the enfance
group, and what it adds to the portal home's « needs your attention » list.

    def ready(self):
        from portal_features.app_kit import register_portal_app

        from .attention import attention_items
        from .choices import AlertKind
        from .staff_permissions import ENFANCE_PERMISSIONS

        register_portal_app(AlertKind, ENFANCE_PERMISSIONS, attention_items=attention_items)
"""

from collections.abc import Callable, Iterable

from cms import staff_groups

from .alerts.kinds import register_kinds
from .portal.attention import register_attention_provider


def register_portal_app(
    alert_kinds, enfance_permissions: Iterable[str], *, attention_items: Callable | None = None
) -> None:
    register_kinds(alert_kinds)
    staff_groups.grant(staff_groups.ENFANCE, *enfance_permissions)
    if attention_items is not None:
        register_attention_provider(attention_items)
