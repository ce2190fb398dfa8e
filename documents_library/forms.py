from django import forms
from django.utils.translation import gettext_lazy as _


class LibraryFilterForm(forms.Form):
    """The library's GET filter: ?categorie=<slug> and ?archives=1 (past documents too).

    The page hands it the categories to offer, so the form needs no model of its own.
    """

    categorie = forms.ModelChoiceField(
        label=_("Category"),
        queryset=None,
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
    )
    archives = forms.BooleanField(label=_("Show past documents"), required=False)

    def __init__(self, data=None, *, categories, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["categorie"].queryset = categories
