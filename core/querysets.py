"""The one way a family's rows are read: `Model.objects.for_family(family)`.

A model's queryset says once where its family is (`family_field`: "family",
"memberships__family" for a child of one or two households, "message__thread__family" for
an attachment); selectors and views then never spell the path themselves, and a row
another family owns is simply not found (a 404).
"""

from django.db import models


class FamilyScopedQuerySet(models.QuerySet):
    family_field = "family"

    def for_family(self, family):
        return self.filter(**{self.family_field: family})
