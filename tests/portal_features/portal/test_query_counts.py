"""The portal's pages cost the same number of queries for a family of one child or of eight."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch
from wagtail.models import Site

from cms.models import CommuneSettings
from portal_features.models import (
    AuthorizedPerson,
    Consent,
    DocumentType,
    HealthRecord,
    SupportingDocument,
    Vaccination,
)
from portal_features.portal.urls import portal_path
from tests.factories import (
    ChildFactory,
    ConsentTypeFactory,
    FamilyFactory,
    GuardianFactory,
    PortalPageFactory,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12
# The home page gathers every feature's "needs your attention" items (documents, messages,
# alerts, enrolments and place offers), a few queries each, then the sections the apps
# register (next days, requests in progress, news, documents to download), one or two each.
MAX_QUERIES_BY_PAGE = {"home": 18, "documents:list": 7}
PAGES = ["home", "family_file:overview", "documents:list"]
PDF = b"%PDF-1.4\n%query count test\n"


@pytest.fixture
def portal(home_page):
    # Created now: the site settings' first save would purge the caches between requests.
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    return PortalPageFactory(parent=home_page)


@pytest.fixture
def document_types(db):
    return {
        scope: DocumentType.objects.create(
            name=name, scope=scope, is_required=True, default_validity_days=365
        )
        for name, scope in [
            ("Vaccinations", DocumentType.Scope.CHILD),
            ("Justificatif de domicile", DocumentType.Scope.FAMILY),
        ]
    }


@pytest.fixture
def consent_types(db):
    return [ConsentTypeFactory(name="Droit à l'image"), ConsentTypeFactory(name="Sorties")]


def _document(family, document_type, child=None, *, valid: bool):
    today = datetime.date.today()
    return SupportingDocument.objects.create(
        family=family,
        child=child,
        document_type=document_type,
        file=ContentFile(PDF, name="piece.pdf"),
        original_name="piece.pdf",
        content_type="application/pdf",
        size=len(PDF),
        status=SupportingDocument.Status.VALID if valid else SupportingDocument.Status.PENDING,
        valid_from=today if valid else None,
        valid_until=today + datetime.timedelta(days=365) if valid else None,
    )


def family_with_children(name, count, *, document_types, consent_types):
    """A family with two guardians and `count` children, each with a full file."""
    family = FamilyFactory(name=name)
    guardian = GuardianFactory(family=family)
    GuardianFactory(family=family, user=None, is_primary=False, first_name="Marc", role="father")
    _document(family, document_types[DocumentType.Scope.FAMILY], valid=True)
    for index in range(count):
        child = ChildFactory(family=family, last_name=name, first_name=f"Enfant{index}")
        record = HealthRecord.objects.create(child=child, allergies="Arachides", has_pai=True)
        for vaccine in ("DTP", "ROR", "Hépatite B"):
            Vaccination.objects.create(
                health_record=record, vaccine=vaccine, date=datetime.date(2019, 6, 1)
            )
        for first_name in ("Monique", "Karim"):
            AuthorizedPerson.objects.create(
                family=family,
                child=child,
                first_name=first_name,
                last_name=name,
                phone="06 12 34 56 78",
                emergency_contact=True,
            )
        for consent_type in consent_types:
            Consent.objects.create(child=child, consent_type=consent_type, granted=True)
        _document(family, document_types[DocumentType.Scope.CHILD], child, valid=index % 2 == 0)
        _document(family, document_types[DocumentType.Scope.CHILD], child, valid=False)
    return guardian.user


def _count(client, user, url) -> int:
    client.force_login(user)
    # The first request fills per-process caches (site root paths, content types…).
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("view_name", PAGES)
def test_a_portal_page_costs_the_same_queries_for_one_child_or_eight(
    client, portal, document_types, consent_types, view_name
):
    try:
        url = portal.url + portal_path(view_name)
    except NoReverseMatch:
        pytest.skip(f"the portal page {view_name!r} is not mounted in portal_urls yet")
    small = family_with_children(
        "PETIT", 1, document_types=document_types, consent_types=consent_types
    )
    large = family_with_children(
        "GRAND", 8, document_types=document_types, consent_types=consent_types
    )

    small_count = _count(client, small, url)
    large_count = _count(client, large, url)

    assert small_count == large_count, (
        f"{view_name}: {small_count} queries for 1 child, {large_count} for 8 (N+1?)"
    )
    budget = MAX_QUERIES_BY_PAGE.get(view_name, MAX_QUERIES)
    assert large_count <= budget, f"{view_name}: {large_count} queries"
