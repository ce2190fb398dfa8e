"""The page django-axes shows once an e-mail address is locked out from one IP address.

Wired by settings.AXES_LOCKOUT_CALLABLE, so the Wagtail admin login shows it too.
"""

import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render

TEMPLATE = "portal_features/accounts/lockout.html"


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render(
        request,
        TEMPLATE,
        {"cooloff_minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def lockout_username(request, credentials=None) -> str:
    """The e-mail axes counts failures for, whatever its case, on every login form (ours
    lower-cases it already; Wagtail's admin login does not)."""
    username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None and request is not None:
        username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "")
    return (username or "").strip().lower()
