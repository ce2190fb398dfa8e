"""Files listed by the library download through Wagtail's serve view."""

import re

from django.core.files.base import ContentFile
from wagtail.models import Collection, CollectionViewRestriction

from tests.factories import LibraryDocumentFactory

CONTENT = b"%PDF-1.4\n% Tarifs de la restauration scolaire\n%%EOF\n"


def test_listed_document_downloads_with_its_bytes_and_filename(client, library, tariffs):
    document = LibraryDocumentFactory(
        title="Tarifs 2025-2026", category=tariffs, file=ContentFile(CONTENT, name="tarifs.pdf")
    )
    html = client.get(library.url).content.decode()
    download_url = re.search(r'class="button document-item__download" href="([^"]+)"', html).group(
        1
    )
    assert download_url == f"/documents/{document.pk}/tarifs.pdf"

    response = client.get(download_url)

    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="tarifs.pdf"' in response["Content-Disposition"]


def test_document_of_a_private_collection_asks_for_a_login(client, tariffs):
    private = Collection.get_first_root_node().add_child(name="Interne")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = LibraryDocumentFactory(category=tariffs, collection=private)

    response = client.get(document.url)

    assert response.status_code == 302
