"""Finding the PortalPage without walking Wagtail's page tree on every portal request.

Wagtail routes a request by loading each page from the site root down to the one asked
(a query and a specific instance per level). Portal screens are asked many times a minute by
logged-in families, so the portal page's place in the tree is kept until the next purge
(publishing, moving or deleting a page bumps it) and the route is given to Wagtail directly.
Wagtail's own serve view then runs as usual: view restrictions, hooks, the page's `serve`.
"""

from django.http import Http404
from wagtail.models import Site

from cms.page_cache import cached_until_purge

from ..models import PortalPage

NO_PORTAL = (0, "")


def _portal_location(request) -> tuple[int, str]:
    """(page id, its path below the site root, e.g. "enfance-jeunesse/portail-famille/")."""
    site = Site.find_for_request(request)
    if site is None:
        return NO_PORTAL
    page = PortalPage.objects.live().descendant_of(site.root_page).only("pk", "url_path").first()
    if page is None:
        return NO_PORTAL
    root_path = site.root_page.url_path
    return page.pk, page.url_path[len(root_path) :]


class PortalRouteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self._route(request)
        return self.get_response(request)

    def _route(self, request) -> None:
        path = request.path_info.lstrip("/")
        # Keyed by host, as Wagtail finds the site: no query for requests outside the portal.
        page_id, portal_path = cached_until_purge(
            f"portal-location:{request.get_host()}", lambda: _portal_location(request)
        )
        if not page_id or not path.startswith(portal_path):
            return
        page = PortalPage.objects.filter(pk=page_id).first()
        if page is None:
            return  # gone since: let Wagtail route as usual
        components = [part for part in path[len(portal_path) :].split("/") if part]
        try:
            request._wagtail_route_for_request = page.route(request, components)
        except Http404:
            request._wagtail_route_for_request = None
