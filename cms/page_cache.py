"""Whole-response cache for anonymous visitors of the public site.

A visitor with no session cookie sees exactly what every other anonymous visitor sees, so
the rendered page is kept in the cache and served before sessions, authentication or the
page tree are touched: a cached page costs no database query. Publishing, unpublishing,
moving or deleting a page, or changing a document or the site settings, bumps a generation
number that is part of every key, which purges every cached page at once (news lists and
menus depend on other pages, so a per-page purge would leave stale lists behind).
"""

import functools

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

GENERATION_KEY = "page-cache:generation"
CACHED_HEADER = "X-Page-Cache"
# The admin, the accounts and files are never cached, whatever they answer.
EXCLUDED_PREFIXES = ("/admin/", "/account/", "/documents/", "/static/", "/media/")
# A pending flash message ("You are logged out") belongs to one visitor's next page.
MESSAGES_COOKIE_NAME = "messages"


def purge_page_cache(**kwargs) -> None:
    """Invalidate every cached page (connected to the signals that change public content)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


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


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_cacheable_request(request):
            return self.get_response(request)

        key = f"page-cache:{_generation()}:{request.get_host()}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
            response[CACHED_HEADER] = "hit"
            return response

        response = self.get_response(request)
        if _is_cacheable_response(request, response):
            cache.set(
                key,
                (response.content, response["Content-Type"]),
                timeout=settings.PAGE_CACHE_SECONDS,
            )
            response[CACHED_HEADER] = "miss"
        return response


@functools.cache
def _public_content_models() -> tuple[type, ...]:
    """Models whose change alters what anonymous visitors see."""
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    from documents_library.models import DocumentCategory
    from news.models import NewsCategory

    return (
        Page,
        get_document_model(),
        get_image_model(),
        BaseSiteSetting,
        DocumentCategory,
        NewsCategory,
    )


def _purge_on_content_change(sender, instance, **kwargs) -> None:
    from wagtail.models import Page

    # Saving a page draft changes nothing public; publication has its own signal.
    if isinstance(instance, Page) and kwargs.get("created") is not None:
        return
    if isinstance(instance, _public_content_models()):
        purge_page_cache()


def connect_purge_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(purge_page_cache, dispatch_uid="page_cache_published")
    page_unpublished.connect(purge_page_cache, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(purge_page_cache, dispatch_uid="page_cache_moved")
    post_save.connect(_purge_on_content_change, dispatch_uid="page_cache_content_saved")
    post_delete.connect(_purge_on_content_change, dispatch_uid="page_cache_content_deleted")
