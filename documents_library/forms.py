from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DocumentCategory


class LibraryFilterForm(forms.Form):
    """The library's GET filter: ?categorie=<slug> and ?archives=1 (past documents too)."""

    categorie = forms.ModelChoiceField(
        label=_("Category"),
        queryset=DocumentCategory.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
    )
    archives = forms.BooleanField(label=_("Show past documents"), required=False)
