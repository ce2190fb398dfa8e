"""The Wagtail `Site` of each host, kept in the process's memory until the next purge.

Wagtail looks the site up with one query on every request that asks for it (the menu, the
settings, page URLs, the portal's routing). Sites change rarely, and saving one, like
publishing a page, bumps the purge generation (`cms.page_cache`), which is read once per
request anyway: a process keeps what it found per host and generation, and a warm process
finds the site without a query. Each request gets its own copy, so what one request sets on
the site or its root page never reaches another.
"""

import copy

from wagtail.models import Site

from .host_memory import HostMemory


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


_sites: HostMemory[Site | None] = HostMemory(_found)


def cached_site_for_request(request) -> Site | None:
    return _own_copy(_sites.get(request))


def forget_sites() -> None:
    """Empty the process's memory of sites (tests that rebuild the database)."""
    _sites.forget()


class SiteCacheMiddleware:
    """Hands Wagtail the site it would find (`Site.find_for_request` reads it from the request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._wagtail_site = cached_site_for_request(request)
        return self.get_response(request)
