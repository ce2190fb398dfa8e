"""What the booking wizard, the basket and the orders screens share: the steps shown above
the wizard, the page rendering and the safe `next` address."""

from django.utils.http import url_has_allowed_host_and_scheme

from portal_features.portal.views import portal_render

TEMPLATES = "reservations/portal"

STEPS = [
    ("participants", "1", "reservations:booking_start"),
    ("activities", "2", "reservations:booking_activities"),
    ("planning", "3", "reservations:booking_planning"),
    ("summary", "4", "reservations:basket"),
]


def _safe_next(request, value) -> str | None:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


def _render(request, template, context, *, step=None, status=None):
    return portal_render(
        request,
        f"{TEMPLATES}/{template}",
        {"steps": STEPS, "current_step": step, **context},
        status=status,
    )
