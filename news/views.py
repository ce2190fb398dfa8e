from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from .filters import NewsFilter


def news_index(request, index_page):
    news_filter = NewsFilter(request.GET, queryset=index_page.news())
    page_obj = Paginator(news_filter.qs, index_page.per_page).get_page(request.GET.get("page"))
    context = index_page.get_context(request)
    context.update({"filter": news_filter, "page_obj": page_obj})
    return TemplateResponse(request, "news/news_index_page.html", context)
