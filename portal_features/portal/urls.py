"""Addresses of the portal's screens, below wherever editors placed the PortalPage."""

from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse

from cms.page_cache import cached_until_purge
from portal_features.models.portal_page import PORTAL_URLCONF, PortalPage

from .mount import portal_mount


def portal_page_for(request) -> PortalPage | None:
    """The live PortalPage of the request's site (kept until the purge, see portal.mount)."""
    page = getattr(request, "portal_page", None)
    if page is None:
        mount = portal_mount(request)
        page = mount.page_for_request() if mount is not None else None
        request.portal_page = page
    return page


def portal_path(viewname: str, *args, **kwargs) -> str:
    """The address of a portal screen relative to the PortalPage, e.g. "documents/12/"."""
    return reverse(viewname, urlconf=PORTAL_URLCONF, args=args, kwargs=kwargs).lstrip("/")


def portal_reverse(request, viewname: str, *args, **kwargs) -> str:
    mount = portal_mount(request)
    if mount is None:
        return "/"
    return mount.url + portal_path(viewname, *args, **kwargs)


def _portal_page_url() -> str:
    """The live PortalPage's address ("" without one), read once until the purge:
    publishing, moving or unpublishing a page purges."""

    def read() -> str:
        page = PortalPage.objects.live().first()
        return (page.url or "") if page is not None else ""

    return cached_until_purge("portal-page-url", read)


def portal_absolute_url(viewname: str, *args, **kwargs) -> str:
    """For e-mails sent outside a request: the public address set in WAGTAILADMIN_BASE_URL.
    The worker sending a batch of receipts or alerts reads the portal's address once."""
    page_url = _portal_page_url()
    if not page_url:
        return settings.WAGTAILADMIN_BASE_URL
    return urljoin(
        settings.WAGTAILADMIN_BASE_URL, page_url + portal_path(viewname, *args, **kwargs)
    )
