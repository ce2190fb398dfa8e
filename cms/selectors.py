"""Reads behind the public site's frame (menu, breadcrumbs, home page), kept cheap.

Every page shows the menu, so what it needs is read once per request and shared with the
breadcrumbs and the home page instead of being asked again by each of them.
"""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import Page, PageViewRestriction, Site

from .page_cache import cached_until_purge

_SECTIONS_ATTR = "_cms_site_sections"


def site_root(request) -> Page | None:
    """The home page of the request's site (loaded with the site, so no extra query)."""
    if request is None:
        return None
    site = Site.find_for_request(request)
    return site.root_page if site is not None else None


def site_sections(request) -> list[Page]:
    """Live children of the site's home page, in tree order.

    Read once per request, and kept in the cache until the next publication."""
    if request is None:
        return []
    sections = getattr(request, _SECTIONS_ATTR, None)
    if sections is None:
        root = site_root(request)
        sections = (
            cached_until_purge(f"sections:{root.pk}", lambda: list(root.get_children().live()))
            if root is not None
            else []
        )
        setattr(request, _SECTIONS_ATTR, sections)
    return sections


def exclude_private(queryset):
    """Like `PageQuerySet.public()`, but inside the same SQL query.

    `public()` first reads every view restriction in a query of its own; here a page is
    private when a restricted page's path is a prefix of its path (itself or an ancestor).
    """
    restricted_ancestor = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return queryset.exclude(Exists(restricted_ancestor))
