"""What the apps above portal_features add to the staff's screen of a family's file.

portal_features never imports reservations or invoicing: each registers its section in its
AppConfig.ready() (reservations: enrolments, registrations, reservations and absences;
invoicing: invoices and payments), as a template and a function giving that template's
context for the family shown, or None when it has nothing to say. A section's function
runs a fixed number of queries whatever the family's size (a test counts them).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class FileSection:
    template: str
    context: Callable  # (family) -> dict | None


_sections: list[FileSection] = []


def register_file_section(template: str, context: Callable) -> None:
    """Show `template` on the family's file, with `context(family)` as `section`."""
    section = FileSection(template, context)
    if section not in _sections:
        _sections.append(section)


def file_sections(family) -> list[tuple[str, dict]]:
    """(template, context) of each registered section that has something to show."""
    shown = []
    for section in _sections:
        context = section.context(family)
        if context is not None:
            shown.append((section.template, context))
    return shown
