"""Which family a request acts for: every portal view reads it from here, never from input."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse

from portal_features.models import Family


def family_for_user(user) -> Family | None:
    """The active family the user is a guardian of, or None (staff, departed families).

    The menu's unread count is not read here: `portal_context` reads it when a screen shows it
    (a redirect, a download or a fragment does not).
    """
    if not user.is_authenticated:
        return None
    return (
        Family.objects.filter(guardians__user=user, status=Family.Status.ACTIVE)
        .order_by("pk")
        .first()
    )


def family_required(view):
    """Logged-in parents only; sets `request.family`. Others see why they can't go on."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        family = getattr(request, "family", None) or family_for_user(request.user)
        if family is None:
            return TemplateResponse(request, "portal_features/portal/no_family.html", status=403)
        request.family = family
        return view(request, *args, **kwargs)

    return wrapper
