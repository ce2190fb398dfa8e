import datetime

import pytest

from tests.factories import DocumentCategoryFactory, DocumentsLibraryPageFactory


@pytest.fixture
def library(home_page):
    return DocumentsLibraryPageFactory(parent=home_page)


@pytest.fixture
def tariffs(db):
    return DocumentCategoryFactory(name="Tarifs", slug="tarifs", sort_order=1)


@pytest.fixture
def rules(db):
    return DocumentCategoryFactory(name="Règlements", slug="reglements", sort_order=2)


@pytest.fixture
def today():
    return datetime.date.today()
