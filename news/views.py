from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from .filters import NewsFilter

# The rendition the news cards show; prefetched so a page of cards costs one query for images.
CARD_RENDITION = "fill-480x270"


def news_index(request, index_page):
    news = index_page.news().prefetch_renditions(CARD_RENDITION)
    news_filter = NewsFilter(request.GET, queryset=news)
    # get_page() falls back to the last page for a number too large and to the first for junk.
    page_obj = Paginator(news_filter.qs, index_page.per_page).get_page(request.GET.get("page"))
    context = index_page.get_context(request)
    context.update({"filter": news_filter, "page_obj": page_obj})
    return TemplateResponse(request, "news/news_index_page.html", context)
