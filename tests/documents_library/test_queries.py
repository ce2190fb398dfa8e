"""The library's cost in SQL queries does not depend on how many documents it lists."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import DocumentCategoryFactory, LibraryDocumentFactory


def render_uncached(client, url):
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"archives": "1"})
    assert response.status_code == 200
    assert response.get("X-Page-Cache") == "miss"
    return response, [query["sql"] for query in queries.captured_queries]


def test_library_queries_do_not_grow_with_documents(client, library):
    categories = [DocumentCategoryFactory(sort_order=number) for number in range(4)]
    LibraryDocumentFactory(category=categories[0])
    _, with_one = render_uncached(client, library.url)

    for number in range(11):
        LibraryDocumentFactory(category=categories[number % 4])
    response, with_twelve = render_uncached(client, library.url)

    assert response.content.decode().count('<article class="document-item') == 12
    assert len(with_twelve) == len(with_one)
    # The library itself: the documents (with their categories and the collection check) and
    # the filter's categories. The rest is Wagtail's routing and the site's frame.
    own_tables = ('"documents_library_librarydocument"', '"documents_library_documentcategory"')
    own = [sql for sql in with_twelve if any(table in sql for table in own_tables)]
    assert len(own) <= 2, own
