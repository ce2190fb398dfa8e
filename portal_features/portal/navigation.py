"""The portal's own menu; an entry shows once its feature's screens are mounted.

The apps above portal_features add their entries from their AppConfig.ready() with
`register_navigation_entry` (invoicing puts « Factures » after the bookings).
"""

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
_registered: list[tuple[str, object, str | None]] = []


def register_navigation_entry(viewname: str, label, *, after: str | None = None) -> None:
    """Show `label` linking to the portal screen `viewname`, after the entry `after` (last
    when it is None or not in the menu)."""
    entry = (viewname, label, after)
    if entry not in _registered:
        _registered.append(entry)


def navigation_entries() -> list[tuple[str, object]]:
    entries = list(NAVIGATION)
    for viewname, label, after in _registered:
        names = [name for name, _label in entries]
        position = names.index(after) + 1 if after in names else len(entries)
        entries.insert(position, (viewname, label))
    return entries


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
    for viewname, label in navigation_entries():
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
