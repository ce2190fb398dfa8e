"""The portal's own menu; an entry shows once its feature's screens are mounted."""

from dataclasses import dataclass

from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _

from .urls import portal_reverse

NAVIGATION = [
    ("home", _("Home")),
    ("family_file:overview", _("My family file")),
    ("reservations:home", _("Registrations and bookings")),
    ("documents:list", _("Documents")),
    ("messaging:thread_list", _("Messages")),
    ("alerts:list", _("Alerts")),
    ("my_account:overview", _("My account")),
]


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    is_current: bool
    badge: int = 0


def portal_navigation(request, *, unread_alerts: int = 0) -> list[NavItem]:
    match = getattr(request, "portal_match", None)
    current = match.view_name if match is not None else ""
    items = []
    for viewname, label in NAVIGATION:
        try:
            url = portal_reverse(request, viewname)
        except NoReverseMatch:
            continue
        namespace = viewname.split(":")[0]
        items.append(
            NavItem(
                label=label,
                url=url,
                is_current=current == viewname
                or (":" in viewname and current.startswith(namespace + ":")),
                badge=unread_alerts if viewname == "alerts:list" else 0,
            )
        )
    return items
