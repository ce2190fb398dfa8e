"""The Wagtail `Site` of each host, kept in the process's memory until the next purge.

Wagtail looks the site up with one query on every request that asks for it (the menu, the
settings, page URLs, the portal's routing). Sites change rarely, and saving one, like
publishing a page, bumps the purge generation (`cms.page_cache`), which is read once per
request anyway: a process keeps what it found per host and generation, and a warm process
finds the site without a query. Each request gets its own copy, so what one request sets on
the site or its root page never reaches another.
"""

import copy

from django.http.request import split_domain_port
from wagtail.models import Site

from .page_cache import current_generation

# (hostname, port) → (generation, Site or None). Hosts are checked against ALLOWED_HOSTS
# before this middleware runs; the bound only guards against a misconfigured wildcard.
_sites: dict[tuple[str, int | str], tuple[int, Site | None]] = {}
MAX_HOSTS = 64


def _found(request) -> Site | None:
    site = Site._find_for_request(request)
    if site is not None:
        site.root_page.specific  # noqa: B018 - Wagtail routes every page from it: read it once
    return site


def _own_copy(site: Site | None) -> Site | None:
    if site is None:
        return None
    mine = copy.copy(site)
    mine.root_page = copy.copy(site.root_page)
    # The home page served or routed through is this request's own object too.
    mine.root_page.__dict__["specific"] = copy.copy(site.root_page.specific)
    return mine


def cached_site_for_request(request) -> Site | None:
    key = (split_domain_port(request._get_raw_host())[0], request.get_port())
    generation = current_generation()
    kept = _sites.get(key)
    if kept is None or kept[0] != generation:
        if len(_sites) >= MAX_HOSTS:
            _sites.clear()
        kept = (generation, _found(request))
        _sites[key] = kept
    return _own_copy(kept[1])


def forget_sites() -> None:
    """Empty the process's memory of sites (tests that rebuild the database)."""
    _sites.clear()


class SiteCacheMiddleware:
    """Hands Wagtail the site it would find (`Site.find_for_request` reads it from the request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._wagtail_site = cached_site_for_request(request)
        return self.get_response(request)
