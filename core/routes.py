"""The addresses of one object's screens, written once: its detail and the actions on it
all start with `<prefix>/<id:key>/` (the view then finds the object among the family's own,
another family's id giving 404).

    urlpatterns = [
        path("", views.calendar_view, name="calendar"),
        *object_paths(
            "reservations",
            "reservation_id",
            ("", views.reservation_detail_view, "reservation_detail"),
            ("cancel/", views.reservation_cancel_view, "reservation_cancel"),
        ),
    ]
"""

from django.urls import URLPattern, path


def object_paths(prefix: str, key: str, *pages: tuple) -> list[URLPattern]:
    """One pattern per page, (suffix, view, name), at `<prefix>/<id:key>/<suffix>`; an empty
    `prefix` puts the id first."""
    base = f"{prefix}/<id:{key}>/" if prefix else f"<id:{key}>/"
    return [path(base + suffix, view, name=name) for suffix, view, name in pages]
