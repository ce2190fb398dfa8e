"""News categories show on public pages: changing one purges the anonymous page cache."""

from wagtail.models import Site

from cms.models import CommuneSettings
from cms.page_cache import CACHED_HEADER


def cached_visit(client, url):
    """Fill the cache for `url` and check that the next visit is served from it."""
    # The site's settings row exists before the first visit: creating it purges the cache.
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    assert client.get(url)[CACHED_HEADER] == "miss"
    assert client.get(url)[CACHED_HEADER] == "hit"


def test_renaming_a_category_refreshes_the_cached_index(client, make_news, school):
    index_url = make_news(title="Rentrée", category=school).get_parent().url
    cached_visit(client, index_url)

    school.name = "Écoles"
    school.save()
    response = client.get(index_url)

    assert response[CACHED_HEADER] == "miss"
    assert '<span class="news-card__category">Écoles</span>' in response.content.decode()


def test_deleting_a_category_refreshes_the_cached_index(client, make_news, school, culture):
    index_url = make_news(title="Rentrée", category=school).get_parent().url
    cached_visit(client, index_url)
    assert 'value="culture"' in client.get(index_url).content.decode()

    culture.delete()
    response = client.get(index_url)

    assert response[CACHED_HEADER] == "miss"
    assert 'value="culture"' not in response.content.decode()
