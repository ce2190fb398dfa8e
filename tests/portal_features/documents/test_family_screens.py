"""Supporting documents in the portal: the checklist page, uploads from it, downloads, the
home page's to-do list and what the checklist costs in queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal_features.documents.selectors import (
    LineState,
    document_checklist,
    missing_required_documents,
)
from portal_features.documents.services import (
    supporting_document_upload,
)
from portal_features.models import (
    SupportingDocument,
)
from tests.factories import (
    ChildFactory,
    FamilyFactory,
    GuardianFactory,
    PortalPageFactory,
)

from .conftest import PDF, PNG, TODAY, Status, make_document, private_files, upload

pytestmark = pytest.mark.django_db


# Family screens --------------------------------------------------------------------------


@pytest.fixture
def portal(home_page):
    return PortalPageFactory(parent=home_page)


def test_the_checklist_page_shows_missing_refused_and_the_upload_form(
    client, portal, guardian, family, child, vaccinations, domicile
):
    make_document(family, vaccinations, child, status=Status.REFUSED, refusal_reason="Flou")
    client.force_login(guardian.user)

    response = client.get(portal.url + "documents/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Justificatif de domicile" in content
    assert "Flou" in content
    assert 'enctype="multipart/form-data"' in content
    assert f'value="{vaccinations.pk}:{child.pk}"' in content
    assert f'value="{domicile.pk}"' in content


def test_a_family_uploads_from_the_checklist(
    client, portal, guardian, family, child, vaccinations, settings
):
    client.force_login(guardian.user)

    response = client.post(
        portal.url + "documents/send/",
        {"slot": f"{vaccinations.pk}:{child.pk}", "file": upload(PNG, "photo.png")},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == portal.url + "documents/"
    document = SupportingDocument.objects.get(family=family)
    assert (document.child, document.content_type) == (child, "image/png")
    assert [str(message) for message in response.context["messages"]]


def test_a_bad_file_shows_the_error_next_to_the_field(
    client, portal, guardian, family, child, vaccinations, settings
):
    client.force_login(guardian.user)

    response = client.post(
        portal.url + "documents/send/",
        {"slot": f"{vaccinations.pk}:{child.pk}", "file": upload(b"<html></html>", "a.pdf")},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_file_error"' in content
    assert response.context["form"].errors["file"]
    assert not SupportingDocument.objects.exists()
    assert private_files(settings) == []


def test_another_familys_child_in_the_form_is_refused(
    client, portal, guardian, vaccinations, settings
):
    stranger = ChildFactory(family=FamilyFactory(name="MARTIN"))
    client.force_login(guardian.user)

    response = client.post(
        portal.url + "documents/send/",
        {"slot": f"{vaccinations.pk}:{stranger.pk}", "file": upload()},
    )

    assert response.status_code == 200
    assert not SupportingDocument.objects.exists()
    assert private_files(settings) == []


def test_download_only_for_the_owning_family(client, portal, guardian, family, vaccinations, child):
    document = supporting_document_upload(
        family=family,
        document_type=vaccinations,
        child=child,
        uploaded_file=upload(PDF, "C:\\Users\\x\\carnet.pdf"),
        user=guardian.user,
    )
    url = portal.url + f"documents/{document.pk}/download/"

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]

    client.force_login(guardian.user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="carnet.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"

    other = GuardianFactory(family=FamilyFactory(name="MARTIN"))
    client.force_login(other.user)
    assert client.get(url).status_code == 404


def test_the_home_page_lists_what_to_do(client, portal, guardian, family, child, vaccinations):
    client.force_login(guardian.user)

    content = client.get(portal.url).content.decode()

    assert "Vaccinations – Léa" in content
    assert "attention--error" in content


def _checklist_queries(client, portal, user) -> int:
    client.force_login(user)
    url = portal.url + "documents/"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_checklist_costs_the_same_queries_for_one_child_or_eight(
    client, portal, vaccinations, domicile
):
    users = []
    for size in (1, 8):
        family = FamilyFactory()
        users.append(GuardianFactory(family=family).user)
        make_document(family, domicile, status=Status.VALID)
        for _index in range(size):
            child = ChildFactory(family=family)
            make_document(family, vaccinations, child, status=Status.REFUSED)
            make_document(family, vaccinations, child)
    _checklist_queries(client, portal, users[1])  # fills the site's caches

    counts = [_checklist_queries(client, portal, user) for user in users]

    assert counts[0] == counts[1]
    assert counts[1] <= 15


def test_the_factories_build_a_validated_family_document(family):
    from tests.factories import DocumentTypeFactory, SupportingDocumentFactory

    domicile = DocumentTypeFactory(name="Justificatif de domicile", scope="family")
    SupportingDocumentFactory(
        family=family,
        document_type=domicile,
        status=Status.VALID,
        valid_from=TODAY,
        valid_until=TODAY + datetime.timedelta(days=90),
    )

    [line] = document_checklist(family, today=TODAY).lines
    assert line.state == LineState.VALID
    assert missing_required_documents(family, on=TODAY) == []
