"""The library groups its documents by category: changing one purges the anonymous page cache."""

from wagtail.models import Site

from cms.models import CommuneSettings
from cms.page_cache import CACHED_HEADER
from tests.factories import LibraryDocumentFactory


def test_renaming_a_category_refreshes_the_cached_library(client, library, tariffs):
    LibraryDocumentFactory(title="Tarifs 2025-2026", category=tariffs)
    # The site's settings row exists before the first visit: creating it purges the cache.
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    assert client.get(library.url)[CACHED_HEADER] == "miss"
    assert client.get(library.url)[CACHED_HEADER] == "hit"

    tariffs.name = "Tarifs et quotients"
    tariffs.save()
    response = client.get(library.url)

    assert response[CACHED_HEADER] == "miss"
    assert '<h2 id="documents-group-1">Tarifs et quotients</h2>' in response.content.decode()
