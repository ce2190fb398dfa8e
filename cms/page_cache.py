"""Whole-response cache for anonymous visitors of the public site.

A visitor with no session cookie sees exactly what every other anonymous visitor sees, so
the rendered page is kept in the cache and served before sessions, authentication or the
page tree are touched: a cached page costs no database query. Publishing, unpublishing,
moving or deleting a page, or changing a document or the site settings, bumps a generation
number that is part of every key, which purges every cached page at once (news lists and
menus depend on other pages, so a per-page purge would leave stale lists behind).

A hit replays the rendered response whole, headers included (X-Frame-Options, Vary,
Content-Language), except what belongs to one visitor (Set-Cookie: a response setting a cookie
is not kept at all). An address is only cached once its view has said which query parameters
it reads (`reads_query_params`, on a page type or as a view decorator): the others
(utm_source, fbclid…) are dropped from `request.GET` before the view runs, so they can neither
change the page nor make a new entry. The parameters an address reads are learnt from its
first render and kept next to its entries, as Django's own cache learns its Vary headers.
"""

import contextvars
import functools
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.utils.http import urlencode

GENERATION_KEY = "page-cache:generation"
CACHED_HEADER = "X-Page-Cache"
# The admin, the accounts and files are never cached, whatever they answer.
EXCLUDED_PREFIXES = ("/admin/", "/account/", "/documents/", "/static/", "/media/")
# A pending flash message ("You are logged out") belongs to one visitor's next page.
MESSAGES_COOKIE_NAME = "messages"
# Headers that belong to the visitor the page was rendered for, never replayed to another.
PER_VISITOR_HEADERS = frozenset({"set-cookie"})
_QUERY_PARAMS_ATTR = "_page_cache_query_params"


# The generation read by the request being served: one cache read per request, however many
# values it takes from the cache (set by AnonymousPageCacheMiddleware; None outside requests,
# where every read asks the cache, as a long-running command must).
_request_generation: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "page_cache_request_generation", default=None
)


def _first_generation() -> int:
    """Where a new count starts (an emptied cache): never a number an earlier count used, so
    values kept under an old generation (here or in a process's memory) are never taken."""
    return secrets.randbits(48)


def purge_page_cache(**kwargs) -> None:
    """Invalidate every cached page (connected to the signals that change public content)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, _first_generation(), timeout=None)
    memo = _request_generation.get()
    if memo is not None:  # the rest of this request sees its own publication
        memo.clear()


def _generation() -> int:
    memo = _request_generation.get()
    if memo is not None and "generation" in memo:
        return memo["generation"]
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _first_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    if memo is not None and generation is not None:
        memo["generation"] = generation
    return generation if generation is not None else 0


def current_generation() -> int:
    """The purge generation this request works with (read once per request)."""
    return _generation()


def cached_until_purge(key: str, compute):
    """A value derived from published content (menu sections, site settings), kept until the
    next purge so that pages rendered between two publications don't read it again."""
    full_key = f"page-cache:{_generation()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout=settings.PAGE_CACHE_SECONDS)
    return value


def _is_cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.PAGE_CACHE_SECONDS > 0
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(EXCLUDED_PREFIXES)
    )


def _is_cacheable_response(request, response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        # A page holding a CSRF token (a form) belongs to one visitor.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-cache" not in cache_control
        and "no-store" not in cache_control
    )


def read_only_query_params(request, names) -> None:
    """The view reads these query parameters and no other: the rest leave `request.GET`."""
    names = tuple(names)
    request.GET = _only(request.GET, names)
    setattr(request, _QUERY_PARAMS_ATTR, names)


def reads_query_params(*names: str):
    """View decorator: `reads_query_params("q", "page")` (see read_only_query_params)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            read_only_query_params(request, names)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _only(query: QueryDict, names: tuple[str, ...]) -> QueryDict:
    """The parameters of `query` named in `names`, in the visitor's order (links keep it)."""
    kept = QueryDict(mutable=True)
    for name, values in query.lists():
        if name in names:
            kept.setlist(name, values)
    kept._mutable = False
    return kept


def _entry_key(address: str, query: QueryDict, names: tuple[str, ...]) -> str:
    """One key per value of the parameters read, whatever their order in the address."""
    read = [(name, query.getlist(name)) for name in sorted(names) if name in query]
    return f"{address}?{urlencode(read, doseq=True)}"


def stored_headers(response) -> list[tuple[str, str]]:
    """The headers replayed with the page on a hit: all of them but the visitor's own."""
    return [
        (name, value) for name, value in response.items() if name.lower() not in PER_VISITOR_HEADERS
    ]


def _params_key(address: str) -> str:
    return f"{address}#params"


def _known_entry_key(request, address: str) -> str | None:
    """The key of the entry this request would be served from, or None while the parameters
    its address reads are unknown (the first render tells them)."""
    if not request.META.get("QUERY_STRING"):
        return _entry_key(address, request.GET, ())
    names = cache.get(_params_key(address))
    return None if names is None else _entry_key(address, request.GET, names)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # From here on, the request reads the purge generation once.
        token = _request_generation.set({})
        try:
            return self._serve(request)
        finally:
            _request_generation.reset(token)

    def _serve(self, request):
        if not _is_cacheable_request(request):
            return self.get_response(request)

        address = f"page-cache:{_generation()}:{request.get_host()}:{request.path}"
        key = _known_entry_key(request, address)
        cached = cache.get(key) if key is not None else None
        if cached is not None:
            content, headers = cached
            response = HttpResponse(content, headers=dict(headers))
            response[CACHED_HEADER] = "hit"
            return response

        response = self.get_response(request)
        names = getattr(request, _QUERY_PARAMS_ATTR, None)
        if names is not None and _is_cacheable_response(request, response):
            timeout = settings.PAGE_CACHE_SECONDS
            cache.set(_params_key(address), names, timeout=timeout)
            cache.set(
                _entry_key(address, request.GET, names),
                (response.content, stored_headers(response)),
                timeout=timeout,
            )
            response[CACHED_HEADER] = "miss"
        return response


# Models of the apps above cms whose change alters public pages (news categories, the
# library's categories…): each app registers its own in its AppConfig.ready().
_purging_models: list[type] = []


def register_purging_model(model: type) -> None:
    """Saving or deleting an instance of `model` purges the page cache."""
    if model not in _purging_models:
        _purging_models.append(model)
        _public_content_models.cache_clear()


@functools.cache
def _public_content_models() -> tuple[type, ...]:
    """Models whose change alters what anonymous visitors see."""
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site

    return (
        Page,
        Site,
        # Who may see a page (and the portal's screens, which keep their page's restrictions).
        PageViewRestriction,
        get_document_model(),
        get_image_model(),
        BaseSiteSetting,
        *_purging_models,
    )


def _purge_on_content_change(sender, instance, **kwargs) -> None:
    from wagtail.models import Page

    # Saving a page draft changes nothing public; publication has its own signal.
    if isinstance(instance, Page) and kwargs.get("created") is not None:
        return
    if isinstance(instance, _public_content_models()):
        purge_page_cache()


def connect_purge_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(purge_page_cache, dispatch_uid="page_cache_published")
    page_unpublished.connect(purge_page_cache, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(purge_page_cache, dispatch_uid="page_cache_moved")
    post_save.connect(_purge_on_content_change, dispatch_uid="page_cache_content_saved")
    post_delete.connect(_purge_on_content_change, dispatch_uid="page_cache_content_deleted")
    m2m_changed.connect(
        purge_page_cache,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="page_cache_restriction_groups",
    )
