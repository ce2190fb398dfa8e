"""Headers every response carries: Content-Security-Policy, Permissions-Policy, and
`Cache-Control: private, no-store` on the account pages.

Django 5.2 has no Content-Security-Policy of its own. The policies live in settings
(CONTENT_SECURITY_POLICY for our pages, CONTENT_SECURITY_POLICY_ADMIN for Wagtail's admin,
whose scripts and styles are partly inline); a view that sets its own header keeps it.
Placed before the page cache, so cached and rendered pages get the same headers.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

ADMIN_PREFIX = "/admin/"


def never_store(response):
    """For pages showing a family's data or a form: a shared computer's Back button, once the
    parent has logged out, shows nothing, and no proxy keeps a copy."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def serialize_policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def serialize_permissions(features: dict[str, list[str]]) -> str:
    return ", ".join(f"{name}=({' '.join(origins)})" for name, origins in features.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # With DEBUG on, errors are Django's own pages, made of inline styles and scripts.
        if not (settings.DEBUG and response.status_code >= 400):
            policy = (
                settings.CONTENT_SECURITY_POLICY_ADMIN
                if request.path.startswith(ADMIN_PREFIX)
                else settings.CONTENT_SECURITY_POLICY
            )
            response.headers.setdefault("Content-Security-Policy", serialize_policy(policy))
        response.headers.setdefault(
            "Permissions-Policy", serialize_permissions(settings.PERMISSIONS_POLICY)
        )
        if request.path.startswith(tuple(settings.NO_STORE_PATH_PREFIXES)):
            never_store(response)
        return response
