"""What the apps above cms add to the home page, between the portal tiles and the quick links.

cms stands below those apps and never imports them: each one registers its section in its
AppConfig.ready() (news registers its latest news), as a template and a function giving that
template's context for the home page being rendered, or None when it has nothing to show.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomeSection:
    template: str
    context: Callable  # (home_page, request) -> dict | None


_sections: list[HomeSection] = []


def register_home_section(template: str, context: Callable) -> None:
    """Show `template` on the home page, with `context(home_page, request)` as `section`."""
    section = HomeSection(template, context)
    if section not in _sections:
        _sections.append(section)


def home_sections(home_page, request) -> list[tuple[str, dict]]:
    """(template, context) of each registered section that has something to show."""
    shown = []
    for section in _sections:
        context = section.context(home_page, request)
        if context is not None:
            shown.append((section.template, context))
    return shown
