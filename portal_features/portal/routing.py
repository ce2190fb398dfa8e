"""Portal screens served as plain Django views, below wherever editors placed the PortalPage.

Wagtail would route a portal request by loading each page from the site root down to the
portal (a query and a specific instance per level), read the page's view restrictions, then
let `PortalPage.serve` resolve the screen. Here a request below the portal's address (kept
until the purge, portal.mount) is resolved by a URLconf that includes the portal's screens
at that address; before the screen runs, Wagtail's own serving hooks see the kept page, so a
restricted portal still asks for the password or the login as Wagtail would, and the view
restrictions are read once per purge, not once per request. Other addresses are untouched.
"""

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from wagtail import hooks

from cms.security_headers import never_store

from .mount import portal_mount


def wagtail_serving_hooks(page, request, args, kwargs) -> HttpResponse | None:
    """What Wagtail's serve view checks before a page's `serve` (the request's method, the
    view restrictions, the query parameters a page reads): the response to give instead of
    the screen, or None. What the hooks would add to the page's response (a restricted
    page is never cached) is remembered for the screen's."""
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    screen = HttpResponse()

    def serve(page, request, args, kwargs):
        return screen

    chain = serve
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        chain = fn(chain)
    result = chain(page, request, args, kwargs)
    if result is not screen:
        return result
    request.portal_never_cache = screen.has_header("Cache-Control")
    return None


class PortalRouteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        mount = portal_mount(request)
        if mount is None or not request.path_info.lstrip("/").startswith(mount.prefix):
            return self.get_response(request)
        request.urlconf = mount.urlconf
        response = self.get_response(request)
        if getattr(request, "portal_match", None) is not None:
            # Family data: a shared computer's Back button shows nothing once the parent is gone.
            never_store(response)
            if getattr(request, "portal_never_cache", False):
                add_never_cache_headers(response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        mount = getattr(request, "_portal_mount", None)
        match = request.resolver_match
        if mount is None or not match.route.startswith(mount.prefix):
            return None  # not a portal screen (Wagtail's page tree, the site's own addresses)
        page = mount.page_for_request()
        request.portal_page = page
        request.portal_match = match
        return wagtail_serving_hooks(page, request, view_args, view_kwargs)
