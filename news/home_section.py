"""The home page's "Latest news" section, registered with cms.home_sections."""

from django.utils import timezone

from cms.page_cache import cached_until_purge
from cms.selectors import site_root, site_sections

from .models import NewsIndexPage, NewsPage

LATEST_NEWS_ON_HOME = 3


def latest_news_section(home_page, request) -> dict | None:
    """The three newest news of the site with the way to all of them; None without news.

    Read once per publication (publishing bumps the purge generation) and per day (a news
    item dated tomorrow shows tomorrow): on an uncached home page, evaluating these pages
    with their category, image and renditions was half of the page's CPU.
    """
    today = timezone.localdate()
    latest_news = cached_until_purge(
        f"latest-news:{home_page.pk}:{today:%Y-%m-%d}",
        lambda: list(NewsPage.objects.latest_for_site(home_page, limit=LATEST_NEWS_ON_HOME)),
    )
    if not latest_news:
        return None
    return {"latest_news": latest_news, "news_index": _news_index(home_page, request)}


def _news_index(home_page, request):
    """Where "All the news" leads: the first news index in tree order.

    Usually a section of the site, already loaded for the menu; else one query.
    """
    root = site_root(request)
    if root is not None and root.pk == home_page.pk:
        for section in site_sections(request):
            if section.specific_class is NewsIndexPage:
                return section
    return NewsIndexPage.objects.live().descendant_of(home_page).order_by("path").first()
