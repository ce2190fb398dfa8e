"""E-mails of the "Nouveau dossier" flow, rendered here and sent by the task queue."""

from django.conf import settings
from django.template import loader
from django.urls import reverse

from ..accounts.tasks import send_account_email

TEMPLATE_DIR = "portal_features/signup/emails"


def portal_url(path: str) -> str:
    """Absolute address of a portal page, for links in e-mails sent outside a request."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def commune_name() -> str:
    from wagtail.models import Site

    from cms.models import CommuneSettings

    site = Site.objects.filter(is_default_site=True).first()
    return CommuneSettings.for_site(site).name if site else ""


def send_signup_email(*, name: str, context: dict, to_address: str) -> None:
    """Render `<name>_subject.txt`, `<name>.txt` and `<name>.html`, then queue the e-mail."""
    context = {
        "site_name": commune_name(),
        "login_url": portal_url(reverse("accounts:login")),
        "password_reset_url": portal_url(reverse("accounts:password_reset")),
        **context,
    }
    subject = loader.render_to_string(f"{TEMPLATE_DIR}/{name}_subject.txt", context)
    send_account_email.enqueue(
        subject=" ".join(subject.split()),
        text_body=loader.render_to_string(f"{TEMPLATE_DIR}/{name}.txt", context),
        html_body=loader.render_to_string(f"{TEMPLATE_DIR}/{name}.html", context),
        to_address=to_address,
    )
