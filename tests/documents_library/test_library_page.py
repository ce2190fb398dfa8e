"""The documents library page: grouping, validity, filters, what families see of each file."""

import datetime
import re

from django.core.files.base import ContentFile
from wagtail.models import Collection, CollectionViewRestriction

from documents_library.models import LibraryDocument
from tests.factories import DocumentCategoryFactory, LibraryDocumentFactory

TITLE = re.compile(r'<h3 class="document-item__title">([^<]+)</h3>')
GROUP = re.compile(r'<h2 id="documents-group-\d+">([^<]+)</h2>')


def listed_titles(response):
    return TITLE.findall(response.content.decode())


def make_document(*, created_days_ago=0, **kwargs):
    document = LibraryDocumentFactory(**kwargs)
    # created_at is set on insert; backdate it to control the order within a category.
    document.created_at -= datetime.timedelta(days=created_days_ago)
    document.save(update_fields=["created_at"])
    return document


def test_documents_are_grouped_by_category_in_editorial_order(client, library, tariffs, rules):
    menus = DocumentCategoryFactory(name="Menus", slug="menus", sort_order=0)
    make_document(title="Règlement intérieur", category=rules)
    make_document(title="Tarifs 2024-2025", category=tariffs, created_days_ago=300)
    make_document(title="Tarifs 2025-2026", category=tariffs, created_days_ago=10)
    make_document(title="Menus de novembre", category=menus)
    make_document(title="Plan d'accès", category=None)

    response = client.get(library.url)

    assert GROUP.findall(response.content.decode())[:3] == ["Menus", "Tarifs", "Règlements"]
    assert listed_titles(response) == [
        "Menus de novembre",
        "Tarifs 2025-2026",
        "Tarifs 2024-2025",
        "Règlement intérieur",
        "Plan d&#x27;accès",
    ]
    # Documents without a category come last, in a group of their own.
    assert len(GROUP.findall(response.content.decode())) == 4


def test_past_documents_are_hidden_by_default(client, library, tariffs, today):
    make_document(title="Tarifs en vigueur", category=tariffs, valid_until=today)
    make_document(title="Sans échéance", category=tariffs, valid_until=None)
    make_document(
        title="Anciens tarifs", category=tariffs, valid_until=today - datetime.timedelta(days=1)
    )

    response = client.get(library.url)

    assert sorted(listed_titles(response)) == ["Sans échéance", "Tarifs en vigueur"]
    assert "document-item--past" not in response.content.decode()


def test_archives_toggle_lists_past_documents_marked_as_past(client, library, tariffs, today):
    make_document(title="Tarifs en vigueur", category=tariffs, created_days_ago=1)
    make_document(
        title="Anciens tarifs",
        category=tariffs,
        created_days_ago=400,
        valid_until=today - datetime.timedelta(days=30),
    )

    response = client.get(library.url, {"archives": "1"})

    html = response.content.decode()
    assert listed_titles(response) == ["Tarifs en vigueur", "Anciens tarifs"]
    past_items = re.findall(
        r'<article class="document-item document-item--past">\s*<h3[^>]*>([^<]+)', html
    )
    assert past_items == ["Anciens tarifs"]
    assert 'name="archives" id="id_archives" value="1" checked' in html


def test_category_filter_lists_only_that_category(client, library, tariffs, rules):
    make_document(title="Tarifs 2025-2026", category=tariffs)
    make_document(title="Règlement intérieur", category=rules)

    response = client.get(library.url, {"categorie": "reglements"})

    assert listed_titles(response) == ["Règlement intérieur"]
    assert '<option value="reglements" selected>Règlements</option>' in response.content.decode()


def test_unknown_category_reports_the_error_and_lists_everything(client, library, tariffs, rules):
    make_document(title="Tarifs 2025-2026", category=tariffs)
    make_document(title="Règlement intérieur", category=rules)

    response = client.get(library.url, {"categorie": "inconnue"})

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert sorted(listed_titles(response)) == ["Règlement intérieur", "Tarifs 2025-2026"]


def test_each_document_shows_its_details_and_an_explicit_download_link(client, library, tariffs):
    document = LibraryDocumentFactory(
        title="Tarifs 2025-2026",
        category=tariffs,
        description="Tarifs de la restauration scolaire.",
        validity_label="2025-2026",
        file=ContentFile(b"%PDF-1.4\n" + b"0" * (120 * 1024 - 9), name="tarifs.pdf"),
    )

    html = client.get(library.url).content.decode()

    assert "Tarifs de la restauration scolaire." in html
    assert "2025-2026" in html
    assert f'<time datetime="{document.created_at:%Y-%m-%d}">' in html
    assert "<li>PDF, 120\xa0Ko</li>" in html
    link = re.search(
        rf'<a class="button document-item__download" href="{document.url}">(.+?)</a>', html
    )
    assert link is not None
    accessible_name = re.sub(r"<[^>]+>", "", link.group(1))
    assert accessible_name.endswith(" Tarifs 2025-2026 (PDF, 120\xa0Ko)")


def test_documents_of_private_collections_are_not_listed(client, library, tariffs):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Interne")
    private_child = private.add_child(name="Interne – archives")
    public = root.add_child(name="Public")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    make_document(title="Public", category=tariffs, collection=public)
    make_document(title="Racine", category=tariffs, collection=root)
    make_document(title="Interne", category=tariffs, collection=private)
    make_document(title="Sous-collection interne", category=tariffs, collection=private_child)

    assert sorted(listed_titles(client.get(library.url))) == ["Public", "Racine"]


def test_empty_library_says_so(client, library):
    html = client.get(library.url).content.decode()

    assert 'class="listing-empty"' in html
    assert "document-item" not in html


def test_selector_groups_in_one_query(tariffs, rules, django_assert_num_queries):
    for number in range(6):
        LibraryDocumentFactory(category=tariffs if number % 2 else rules)

    with django_assert_num_queries(1):
        groups = LibraryDocument.objects.by_category()
        names = [(group.category.name, len(group.documents)) for group in groups]

    assert names == [("Tarifs", 3), ("Règlements", 3)]
