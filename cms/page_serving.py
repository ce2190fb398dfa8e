"""Cheaper serving of the site's pages, with Wagtail's semantics kept."""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

# Where a page read once until the purge keeps its view restrictions (keep_view_restrictions).
_KEPT_RESTRICTIONS = "_view_restrictions"


def ancestor_paths(path: str, steplen: int = Page.steplen) -> list[str]:
    """Tree paths of a page and of all its ancestors, read off its own path."""
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


class OneQueryViewRestrictionsMixin:
    """Wagtail reads a page's ancestors, then their view restrictions: two queries on every
    served page. The ancestors' paths are prefixes of the page's own path, so one query does.

    Aliases keep Wagtail's rule: an alias (or an alias ancestor) takes the restrictions of
    the page it is an alias of.
    """

    def get_view_restrictions(self):
        kept = self.__dict__.get(_KEPT_RESTRICTIONS)
        if kept is not None:
            return kept
        paths = ancestor_paths(self.path)
        aliased_sources = Page.objects.filter(path__in=paths, alias_of__isnull=False).values(
            "alias_of"
        )
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page__in=aliased_sources)
        )

    def keep_view_restrictions(self):
        """Read the restrictions now, with their groups, and answer from them from now on: for
        a page kept until the purge (saving a restriction or moving a page purges)."""
        self.__dict__[_KEPT_RESTRICTIONS] = list(
            self.get_view_restrictions().prefetch_related("groups")
        )
        return self
