"""Small helpers shared by the cms tests."""

import re

from django.core.cache import cache


def unpublish(page):
    page.unpublish()
    page.refresh_from_db()
    return page


def html(response) -> str:
    return response.content.decode()


def titles_in_order(content: str, titles: list[str]) -> list[str]:
    """The given titles, in the order they appear in the page (absent ones left out)."""
    found = [(content.find(title), title) for title in titles if title in content]
    return [title for _, title in sorted(found)]


def squash(text: str) -> str:
    """Collapse whitespace, so assertions do not depend on template indentation."""
    return re.sub(r"\s+", " ", text)


def clear_cache():
    cache.clear()
