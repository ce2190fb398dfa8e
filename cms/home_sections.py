"""What the apps above cms add to the home page, between the portal tiles and the quick links,
and to the family portal's home, after what needs the family's attention.

cms stands below those apps and never imports them: each one registers its section in its
AppConfig.ready() (news registers its latest news on both homes; reservations the family's
next days and requests on the portal's), as a template and a function giving that
template's context for the home page being rendered, or None when it has nothing to show.
On the portal's home the function gets the site's home page and a request whose `family` is
the logged-in family.
"""

from collections.abc import Callable
from dataclasses import dataclass

# Where a section shows.
PUBLIC_HOME = "home"
PORTAL_HOME = "portal"


@dataclass(frozen=True)
class HomeSection:
    template: str
    context: Callable  # (home_page, request) -> dict | None
    places: frozenset = frozenset({PUBLIC_HOME})
    order: int = 50  # smaller first on the same home


_sections: list[HomeSection] = []


def register_home_section(
    template: str, context: Callable, *, places=(PUBLIC_HOME,), order: int = 50
) -> None:
    """Show `template` on the homes named in `places`, with `context(home_page, request)` as
    `section`; sections show by `order`, then in the order they were registered."""
    section = HomeSection(template, context, frozenset(places), order)
    if section not in _sections:
        _sections.append(section)


def home_sections(home_page, request, *, place: str = PUBLIC_HOME) -> list[tuple[str, dict]]:
    """(template, context) of each section registered for `place` that has something to
    show."""
    shown = []
    for section in sorted(_sections, key=lambda section: section.order):
        if place not in section.places:
            continue
        context = section.context(home_page, request)
        if context is not None:
            shown.append((section.template, context))
    return shown
