import django_filters
from django.utils.translation import gettext_lazy as _

from .models import NewsCategory, NewsPage


class NewsFilter(django_filters.FilterSet):
    """Filter of the news index by category slug (?categorie=<slug>).

    An unknown slug makes the form invalid: the error is shown next to the select and,
    as django-filter skips fields that did not validate, every news item stays listed.
    """

    categorie = django_filters.ModelChoiceFilter(
        field_name="category",
        label=_("Category"),
        queryset=NewsCategory.objects.all(),
        to_field_name="slug",
        empty_label=_("All categories"),
    )

    class Meta:
        model = NewsPage
        fields = []
