"""The addresses of one object's screens, written once: its detail and the actions on it
all start with `<prefix>/<id:key>/` (the view then finds the object among the family's own,
another family's id giving 404).

    *object_paths("reservations", "reservation_id", ("", detail_view, "reservation_detail"),
                  ("cancel/", cancel_view, "reservation_cancel"))

gives "reservations/<id:reservation_id>/" and "reservations/<id:reservation_id>/cancel/".
"""

from django.urls import URLPattern, path


def object_paths(prefix: str, key: str, *pages: tuple) -> list[URLPattern]:
    """One pattern per page, (suffix, view, name), at `<prefix>/<id:key>/<suffix>`; an empty
    `prefix` puts the id first."""
    base = f"{prefix}/<id:{key}>/" if prefix else f"<id:{key}>/"
    return [path(base + suffix, view, name=name) for suffix, view, name in pages]
