"""What the apps above portal_features add to the family's data export and to anonymisation.

portal_features never imports reservations or invoicing (floors); they register here from
their AppConfig.ready():

- an export section: `builder(family) -> (data, files)`, `data` placed under its key in
  data.json, `files` the [(entry, stored file)] to put in the archive (the entry names its
  folder with "_folder" and a fallback name with "_id", as the export's own sections do);
- a last-activity source: `source(family) -> datetime | None`, the family's latest activity
  in that app (a booked day, an order, an invoice, a payment), read by `anonymise_departed`;
- a blocker: `blocker(family, now) -> str | None`, why the family may not be anonymised yet
  (an unpaid invoice), None when nothing stops it;
- an anonymiser: `anonymiser(family, now) -> list[str]`, run inside the anonymisation's
  transaction, blanks or deletes that app's personal data and returns the private files to
  delete once it commits.
"""

from collections.abc import Callable

_sections: dict[str, Callable] = {}
_activity_sources: list[Callable] = []
_blockers: list[Callable] = []
_anonymisers: list[Callable] = []


def _add(registered: list, function: Callable) -> None:
    if function not in registered:
        registered.append(function)


def register_export_section(key: str, builder: Callable) -> None:
    _sections[key] = builder


def register_activity_source(source: Callable) -> None:
    _add(_activity_sources, source)


def register_anonymisation_blocker(blocker: Callable) -> None:
    _add(_blockers, blocker)


def register_anonymiser(anonymiser: Callable) -> None:
    _add(_anonymisers, anonymiser)


def export_sections() -> dict[str, Callable]:
    return dict(_sections)


def activity_sources() -> list[Callable]:
    return list(_activity_sources)


def anonymisation_blockers() -> list[Callable]:
    return list(_blockers)


def anonymisers() -> list[Callable]:
    return list(_anonymisers)
