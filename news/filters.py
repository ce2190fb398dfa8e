import django_filters
from django.utils.translation import gettext_lazy as _

from cms.page_cache import cached_until_purge


def category_choices(category_model) -> list[tuple[str, str]]:
    """(slug, name) of every category, kept until the next purge (a category change purges)."""
    return cached_until_purge(
        "news-categories", lambda: list(category_model.objects.values_list("slug", "name"))
    )


class NewsFilter(django_filters.FilterSet):
    """Filter of the news index by category slug (?categorie=<slug>).

    An unknown slug makes the form invalid: the error is shown next to the select and,
    as django-filter skips fields that did not validate, every news item stays listed.
    It filters the news the index page hands it and offers the categories of their model,
    so it needs no import of the page models (which serve the index through it).
    """

    categorie = django_filters.ChoiceFilter(
        field_name="category__slug",
        label=_("Category"),
        empty_label=_("All categories"),
    )

    def __init__(self, data=None, *, queryset, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        category_model = queryset.model._meta.get_field("category").related_model
        self.filters["categorie"].extra["choices"] = lambda: category_choices(category_model)
