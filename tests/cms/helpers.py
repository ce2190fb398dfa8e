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


class CacheCalls:
    """Records the calls made to the shared cache (Redis in production) while installed."""

    METHODS = ("get", "get_many", "set", "add", "incr", "delete")

    def __init__(self, monkeypatch):
        from django.core.cache import caches

        self.calls: list[tuple[str, str]] = []
        backend = caches["default"]
        for name in self.METHODS:
            monkeypatch.setattr(backend, name, self._recording(name, getattr(backend, name)))

    def _recording(self, name, method):
        def record(key, *args, **kwargs):
            self.calls.append((name, str(key)))
            return method(key, *args, **kwargs)

        return record

    def of_key(self, key: str) -> list[tuple[str, str]]:
        return [call for call in self.calls if call[1] == key]
