import django_filters
from django.utils.translation import gettext_lazy as _

from .models import NewsCategory, NewsPage


class NewsFilter(django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=NewsCategory.objects.all(),
        to_field_name="slug",
        empty_label=_("All categories"),
    )

    class Meta:
        model = NewsPage
        fields = ["category"]
