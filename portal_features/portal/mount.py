"""Where the portal is mounted on a host, kept in the process's memory until the next purge.

Portal screens are plain Django views: a request below the PortalPage's address is resolved
by a URLconf that includes the portal's screens (`portal_urls.py`) at that address, next to
the site's own addresses. What that needs from Wagtail — the live PortalPage of the host's
site, its address, the view restrictions on it and its ancestors — is read once per host and
purge generation (publishing, moving, unpublishing a page, changing a site or a view
restriction bumps it, see cms.page_cache), so a warm process serves a portal screen without
walking the page tree, loading the page or reading its restrictions.
"""

import copy
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType

from django.conf import settings
from django.urls import URLResolver, include, path
from wagtail import urls as wagtail_urls
from wagtail.models import Site

from cms.host_memory import HostMemory

from ..models.portal_page import PORTAL_URLCONF, PortalPage

# Django's error views are looked up on the URLconf that resolved the request.
ERROR_HANDLERS = ("handler400", "handler403", "handler404", "handler500")


@dataclass(frozen=True)
class PortalMount:
    page: PortalPage  # with its view restrictions read (get_view_restrictions costs no query)
    prefix: str  # as in request.path_info, without "/": "enfance-jeunesse/portail-famille/"
    url: str  # the page's address for this host (relative on its own site)
    urlconf: ModuleType

    def page_for_request(self) -> PortalPage:
        """The request's own copy: what one request sets on it never reaches another."""
        return copy.copy(self.page)


# (root URLconf, prefix) → URLconf module (Django's resolver caches per URLconf object).
_urlconfs: dict[tuple[str, str], ModuleType] = {}


def mounted_urlconf(prefix: str) -> ModuleType:
    """The site's URLconf with the portal's screens included at `prefix`, before Wagtail's
    page tree (which serves everything else) and after every other address, so the site's
    own names keep reversing as they do outside the portal."""
    key = (settings.ROOT_URLCONF, prefix)
    module = _urlconfs.get(key)
    if module is not None:
        return module
    root = import_module(settings.ROOT_URLCONF)
    patterns = list(root.urlpatterns)
    tree = next(
        (
            index
            for index, pattern in enumerate(patterns)
            if isinstance(pattern, URLResolver) and pattern.urlconf_name is wagtail_urls
        ),
        len(patterns),
    )
    module = ModuleType(f"{__name__}.urlconf[{prefix}]")
    module.urlpatterns = [
        *patterns[:tree],
        path(prefix, include(PORTAL_URLCONF)),
        *patterns[tree:],
    ]
    for name in ERROR_HANDLERS:
        if hasattr(root, name):
            setattr(module, name, getattr(root, name))
    _urlconfs[key] = module
    return module


def _find_mount(request) -> PortalMount | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    page = PortalPage.objects.live().descendant_of(site.root_page).first()
    if page is None:
        return None
    prefix = page.url_path[len(site.root_page.url_path) :]
    page.keep_view_restrictions()
    return PortalMount(
        page=page, prefix=prefix, url=page.get_url(request), urlconf=mounted_urlconf(prefix)
    )


_mounts: HostMemory[PortalMount | None] = HostMemory(_find_mount)


def portal_mount(request) -> PortalMount | None:
    """The portal of the request's host (read once per request, and once per process and
    purge generation)."""
    if not hasattr(request, "_portal_mount"):
        request._portal_mount = _mounts.get(request)
    return request._portal_mount


def forget_mounts() -> None:
    """Empty the process's memory of portal mounts (tests that rebuild the database)."""
    _mounts.forget()
