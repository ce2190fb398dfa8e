import django_filters
from django.utils.translation import gettext_lazy as _

from cms.page_cache import cached_until_purge

from .models import NewsCategory, NewsPage


def category_choices() -> list[tuple[str, str]]:
    """(slug, name) of every category, kept until the next purge (a category change purges)."""
    return cached_until_purge(
        "news-categories", lambda: list(NewsCategory.objects.values_list("slug", "name"))
    )


class NewsFilter(django_filters.FilterSet):
    """Filter of the news index by category slug (?categorie=<slug>).

    An unknown slug makes the form invalid: the error is shown next to the select and,
    as django-filter skips fields that did not validate, every news item stays listed.
    """

    categorie = django_filters.ChoiceFilter(
        field_name="category__slug",
        label=_("Category"),
        choices=category_choices,
        empty_label=_("All categories"),
    )

    class Meta:
        model = NewsPage
        fields = []
