"""The kernel renders e-mails with what the apps registered, without knowing any app."""

import pytest
from django.core import mail

from cms.models import CommuneSettings
from core import emails
from core.emails import email_context, email_context_provider_register, render_templated_email

pytestmark = pytest.mark.django_db

TEMPLATES = "portal_features/signup/emails"


@pytest.fixture
def commune(home_page):
    settings = CommuneSettings.for_site(home_page.get_site())
    settings.name = "Saint-Ouen-l'Aumône"
    settings.save()
    return settings


def test_the_commune_registered_by_cms_names_every_e_mail(commune):
    assert email_context()["site_name"] == "Saint-Ouen-l'Aumône"

    rendered = render_templated_email(template_dir=TEMPLATES, name="request_received", context={})

    assert "Saint-Ouen-l'Aumône" in rendered["subject"]
    assert "Saint-Ouen-l'Aumône" in rendered["text_body"]


def test_a_callers_own_value_wins_over_the_shared_context(commune):
    rendered = render_templated_email(
        template_dir=TEMPLATES, name="request_received", context={"site_name": "Mairie annexe"}
    )

    assert "Mairie annexe" in rendered["subject"]
    assert "Saint-Ouen-l'Aumône" not in rendered["subject"]


def test_a_provider_is_registered_once(monkeypatch):
    monkeypatch.setattr(emails, "_context_providers", [])

    def provider():
        return {"service": "Enfance"}

    email_context_provider_register(provider)
    email_context_provider_register(provider)

    assert emails._context_providers == [provider]
    assert email_context() == {"service": "Enfance"}


def test_the_send_task_sends_text_with_its_html_alternative():
    emails.send_email.call(
        subject="Objet", text_body="Texte", html_body="<p>Texte</p>", to_address="a@example.fr"
    )

    (sent,) = mail.outbox
    assert (sent.subject, sent.body, sent.to) == ("Objet", "Texte", ["a@example.fr"])
    assert sent.alternatives[0].content == "<p>Texte</p>"
