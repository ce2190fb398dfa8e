"""SQL queries per uncached public page, measured in-process against the benchmark database.

Finds one page of each public type, asks for it once with the Django test client (to warm
what a running server keeps warm: site root paths in the cache, renditions on disk), then
purges the page cache and warms the site-wide data with a request the page cache does not
serve (a stale session cookie), and counts the queries of the request that renders the page
again. Prints JSON:
[{"name", "url", "status", "queries"}]. Run with DJANGO_SETTINGS_MODULE set.
"""

import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def public_pages() -> list[tuple[str, object]]:
    from wagtail.models import Site

    from cms.models import StandardPage
    from documents_library.models import DocumentsLibraryPage
    from news.models import NewsIndexPage, NewsPage

    home = Site.objects.get(is_default_site=True).root_page.specific
    candidates = [
        ("home page", home),
        ("news index", NewsIndexPage.objects.live().descendant_of(home).first()),
        ("news page", NewsPage.objects.published().descendant_of(home).newest_first().first()),
        ("documents library", DocumentsLibraryPage.objects.live().descendant_of(home).first()),
        ("standard page", StandardPage.objects.live().descendant_of(home).first()),
    ]
    return [(name, page) for name, page in candidates if page is not None]


def measure(host: str) -> list[dict]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cms.page_cache import purge_page_cache

    # A broken page is reported with its status rather than stopping the benchmark.
    client = Client(HTTP_HOST=host, raise_request_exception=False)
    results = []
    for name, page in public_pages():
        url = page.get_url()
        # The state between two publications: the page cache misses this address, while
        # what every page shares (menu, settings, categories) was read by an earlier page.
        client.get(url)
        purge_page_cache()
        # Another query string would not do: the page cache keys only on what a page reads.
        client.cookies[settings.SESSION_COOKIE_NAME] = "stale"
        client.get(url)
        del client.cookies[settings.SESSION_COOKIE_NAME]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        results.append(
            {
                "name": name,
                "url": url,
                "status": response.status_code,
                "queries": len(queries),
                "sql": [query["sql"] for query in queries.captured_queries],
            }
        )
    return results


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()
    json.dump(measure(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"), sys.stdout)
