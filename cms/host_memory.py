"""What a process keeps per host until the next purge (the Wagtail `Site`, the portal's mount).

Found once per (hostname, port) and purge generation (`cms.page_cache`): publishing, moving
or deleting a page, or saving a site, bumps the generation and the next request finds it
again. Hosts are checked against ALLOWED_HOSTS before anything asks; the bound only guards
against a misconfigured wildcard.
"""

from collections.abc import Callable
from typing import Generic, TypeVar

from django.http.request import split_domain_port

from .page_cache import current_generation

T = TypeVar("T")
MAX_HOSTS = 64


class HostMemory(Generic[T]):
    def __init__(self, find: Callable[[object], T], max_hosts: int = MAX_HOSTS):
        self.find = find
        self.max_hosts = max_hosts
        # (hostname, port) → (generation, what `find` returned for it)
        self._kept: dict[tuple[str, int | str], tuple[int, T]] = {}

    def get(self, request) -> T:
        key = (split_domain_port(request._get_raw_host())[0], request.get_port())
        generation = current_generation()
        kept = self._kept.get(key)
        if kept is None or kept[0] != generation:
            if len(self._kept) >= self.max_hosts:
                self._kept.clear()
            kept = (generation, self.find(request))
            self._kept[key] = kept
        return kept[1]

    def forget(self) -> None:
        """Empty the process's memory (tests that rebuild the database)."""
        self._kept.clear()
