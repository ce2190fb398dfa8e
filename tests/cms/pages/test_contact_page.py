"""The contact form: labelled fields, errors next to them, one e-mail per message."""

import re

import pytest
from django.core import mail
from django.utils import translation
from wagtail.contrib.forms.models import FormSubmission

from tests.factories import ContactPageFactory

from ..helpers import html, squash

pytestmark = pytest.mark.django_db

VALID = {
    "nom": "Camille Martin",
    "courriel": "camille@example.fr",
    "message": "Ma fille mange sans porc.",
}


@pytest.fixture
def contact_page(home_page):
    return ContactPageFactory(parent=home_page)


def _french(message: str) -> str:
    with translation.override("fr"):
        translated = translation.gettext(message)
    assert translated != message  # Django ships these in French; the check keeps us honest.
    return translated


def _field_block(content: str, name: str) -> str:
    """The markup of one form field, from its wrapper to the next field."""
    match = re.search(
        rf'<div class="form-field[^"]*">(?:(?!<div class="form-field).)*?name="{name}".*?</div>',
        content,
        re.S,
    )
    return match.group(0)


def test_form_fields_are_labelled_and_required_ones_marked(client, contact_page):
    content = squash(html(client.get(contact_page.url)))

    label = '<label class="form-field__label" for="id_nom">Nom'
    assert f'{label} <span class="required" aria-hidden="true">*</span>' in content
    assert 'for="id_courriel"' in content
    assert 'for="id_message"' in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert "Écrivez au service enfance-jeunesse." in content


def test_valid_message_is_stored_and_emailed_once(client, contact_page):
    response = client.post(contact_page.url, VALID)

    assert response.status_code == 200
    assert "Merci, nous vous répondrons sous 48 heures." in html(response)
    assert FormSubmission.objects.filter(page=contact_page).count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["enfance@mairie.example.fr"]
    assert message.from_email == "portail@mairie.example.fr"
    assert message.subject == "Message du site"
    assert message.reply_to == ["camille@example.fr"]
    assert "Camille Martin" in message.body
    assert "Ma fille mange sans porc." in message.body


def test_missing_field_shows_a_french_error_next_to_it_and_sends_nothing(client, contact_page):
    response = client.post(contact_page.url, {**VALID, "courriel": ""})

    content = html(response)
    field = _field_block(content, "courriel")
    assert response.status_code == 200
    required = _french("This field is required.")
    assert (
        f'<ul class="form-field__errors" id="id_courriel_error"><li>{required}</li></ul>' in field
    )
    assert 'aria-invalid="true"' in field
    assert "form-field__errors" not in _field_block(content, "nom")
    # What was typed is kept.
    assert "Ma fille mange sans porc." in content
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


def test_invalid_email_is_refused_in_french(client, contact_page):
    response = client.post(contact_page.url, {**VALID, "courriel": "pas-une-adresse"})

    field = _field_block(html(response), "courriel")
    assert _french("Enter a valid email address.") in field
    assert mail.outbox == []


def test_landing_page_falls_back_to_a_default_thank_you(client, home_page):
    page = ContactPageFactory(parent=home_page, slug="ecrire", thank_you_text="")

    response = client.post(page.url, VALID)

    assert response.templates[0].name == "cms/contact_page_landing.html"
    assert 'role="status"' in html(response)
