"""« Nouveau dossier » as the way in: school and class, documents, « je certifie », the
login page's link, the landing after login and the public header's link."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import Site

from cms.models import CommuneSettings
from portal_features.models import Child, SignupAttachment, SignupRequest, SupportingDocument
from portal_features.signup.services import signup_request_accept, signup_request_refuse
from tests.factories import (
    DocumentTypeFactory,
    FamilyFactory,
    GuardianFactory,
    PortalPageFactory,
    UserFactory,
)
from tests.files import pdf_bytes

from .test_requests import form_data, french

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return UserFactory(email="agent@mairie.example.fr", is_staff=True)


@pytest.fixture
def schools(db):
    settings = CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    settings.schools = "École Jules-Ferry\n\nÉcole des Tilleuls\n"
    settings.save()
    return ["École Jules-Ferry", "École des Tilleuls"]


def pdf(name="piece.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def post(client, data, capture):
    with capture(execute=True):
        return client.post(reverse("signup:signup"), data)


def test_each_child_chooses_a_school_of_the_commune_and_a_class(client, schools):
    html = client.get(reverse("signup:signup")).content.decode()

    school = re.search(r'<select name="children-0-school".*?</select>', html, re.S).group(0)
    assert ">École Jules-Ferry</option>" in school and ">École des Tilleuls</option>" in school
    level = re.search(r'<select name="children-0-school_level".*?</select>', html, re.S).group(0)
    assert 'value="cp"' in level and 'value="none"' in level
    # The first submit button sends the request: Enter in a field never adds a child.
    buttons = re.findall(r"<button[^>]*type=\"submit\"[^>]*>", html)
    assert 'name="add_child"' not in buttons[0]
    assert 'name="add_child"' in html


def test_class_school_and_documents_are_kept_with_the_request(
    client, schools, django_capture_on_commit_callbacks
):
    vaccinations = DocumentTypeFactory(name="Vaccinations", scope="child")
    insurance = DocumentTypeFactory(name="Attestation d'assurance", scope="family")
    data = form_data(
        **{
            "children-0-school": "École des Tilleuls",
            "children-0-school_level": "ce1",
            f"children-0-document_{vaccinations.pk}": pdf("carnet.pdf"),
            f"documents-document_{insurance.pk}": pdf("assurance.pdf"),
        }
    )

    response = post(client, data, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    signup_request = SignupRequest.objects.get()
    child = signup_request.data["children"][0]
    assert (child["school"], child["school_level"]) == ("École des Tilleuls", "ce1")
    attachments = {
        (a.document_type.name, a.child_index, a.original_name)
        for a in signup_request.attachments.all()
    }
    assert attachments == {
        ("Vaccinations", 0, "carnet.pdf"),
        ("Attestation d'assurance", None, "assurance.pdf"),
    }
    assert all(a.file.storage.exists(a.file.name) for a in signup_request.attachments.all())


def test_not_at_school_needs_no_school_but_a_class_needs_one(
    client, schools, django_capture_on_commit_callbacks
):
    missing = post(
        client,
        form_data(**{"children-0-school": "", "children-0-school_level": "ms"}),
        django_capture_on_commit_callbacks,
    )
    assert escape(french("Choose the school of this child.")) in missing.content.decode()
    assert SignupRequest.objects.count() == 0

    post(
        client,
        form_data(**{"children-0-school": "", "children-0-school_level": "none"}),
        django_capture_on_commit_callbacks,
    )
    assert SignupRequest.objects.get().data["children"][0]["school_level"] == ""


def test_the_certification_box_is_required_with_a_french_error(
    client, django_capture_on_commit_callbacks
):
    data = form_data()
    del data["certify-certify"]

    response = post(client, data, django_capture_on_commit_callbacks)

    html = response.content.decode()
    assert 'id="id_certify-certify_error"' in html
    assert escape(french("Tick this box to certify the information: it is required.")) in html
    assert escape(french("I certify that the information above is accurate.")) in html
    assert 'id="signup-privacy"' in html
    assert SignupRequest.objects.count() == 0


def test_a_file_that_is_not_a_document_is_refused_next_to_its_field(
    client, django_capture_on_commit_callbacks
):
    vaccinations = DocumentTypeFactory(name="Vaccinations", scope="child")
    fake = SimpleUploadedFile("carnet.pdf", b"<html>not a pdf</html>")

    response = post(
        client,
        form_data(**{f"children-0-document_{vaccinations.pk}": fake}),
        django_capture_on_commit_callbacks,
    )

    assert f'id="id_children-0-document_{vaccinations.pk}_error"' in response.content.decode()
    assert SignupRequest.objects.count() == 0


def _request_with_documents(client, capture):
    vaccinations = DocumentTypeFactory(name="Vaccinations", scope="child")
    post(
        client,
        form_data(**{f"children-0-document_{vaccinations.pk}": pdf("carnet.pdf")}),
        capture,
    )
    return SignupRequest.objects.get()


def test_accepting_keeps_school_class_and_makes_documents_pending(
    client, staff, django_capture_on_commit_callbacks
):
    signup_request = _request_with_documents(client, django_capture_on_commit_callbacks)
    stored = signup_request.attachments.get().file.name

    family = signup_request_accept(request=signup_request, actor=staff)

    child = Child.objects.get(memberships__family=family)
    assert (child.school, child.school_level) == ("École Jules-Ferry", "cp")
    document = SupportingDocument.objects.get(family=family)
    assert (document.child, document.status, document.file.name) == (child, "pending", stored)
    assert document.file.storage.exists(stored)
    assert not SignupAttachment.objects.exists()


def test_accepting_with_validation_validates_the_documents_in_the_same_step(
    client, staff, django_capture_on_commit_callbacks
):
    signup_request = _request_with_documents(client, django_capture_on_commit_callbacks)

    family = signup_request_accept(request=signup_request, actor=staff, validate_all=True)

    document = SupportingDocument.objects.get(family=family)
    assert document.status == "valid"
    assert document.valid_until is not None  # the type's default validity (365 days)
    assert document.decided_by == staff


def test_refusing_deletes_the_files_sent(client, staff, django_capture_on_commit_callbacks):
    signup_request = _request_with_documents(client, django_capture_on_commit_callbacks)
    attachment = signup_request.attachments.get()

    with django_capture_on_commit_callbacks(execute=True):
        signup_request_refuse(request=signup_request, actor=staff, reason="Hors commune")

    assert not attachment.file.storage.exists(attachment.file.name)
    assert not SignupAttachment.objects.exists()


def test_staff_read_the_documents_on_the_decision_screen(
    admin_client, client, django_capture_on_commit_callbacks
):
    signup_request = _request_with_documents(client, django_capture_on_commit_callbacks)
    attachment = signup_request.attachments.get()
    base = "/admin/portal_features/signuprequest"

    screen = admin_client.get(f"{base}/accept/{signup_request.pk}/")
    html = screen.content.decode()
    assert f"{base}/attachment/{attachment.pk}/" in html
    assert 'name="validate_all"' in html and "checked" in html
    download = admin_client.get(f"{base}/attachment/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert client.get(f"{base}/attachment/{attachment.pk}/").status_code == 302


def test_the_login_page_links_to_the_sign_up(client):
    html = client.get(reverse("accounts:login")).content.decode()

    assert f'href="{reverse("signup:signup")}"' in html


def test_a_parent_lands_on_the_portal_home_after_login(client, home_page, parent, log_in):
    portal = PortalPageFactory(parent=home_page)
    GuardianFactory(family=FamilyFactory(), user=parent, is_primary=True)

    response = log_in(parent.email)

    assert response.status_code == 302
    assert response["Location"] == portal.url


def test_staff_without_a_family_land_on_the_site_home(client, home_page, staff, log_in):
    PortalPageFactory(parent=home_page)

    assert log_in(staff.email)["Location"] == "/"


def test_the_public_header_links_to_the_family_space(client, home_page):
    html = client.get("/").content.decode()

    header = re.search(r'<header class="site-header">.*?</header>', html, re.S).group(0)
    assert f'href="{reverse("accounts:login")}"' in header
    assert french("My family space") in header


def test_adding_a_child_without_javascript_says_files_are_to_choose_again(client):
    DocumentTypeFactory(name="Vaccinations", scope="child")

    response = client.post(reverse("signup:signup"), form_data(add_child="1"))

    html = response.content.decode()
    assert 'name="children-1-first_name"' in html
    assert escape(french("Choose the files to send again: the browser does not keep them.")) in html
