"""E-mails of the "Nouveau dossier" flow."""

from django.urls import reverse

from core.emails import absolute_url, send_templated_email

TEMPLATE_DIR = "portal_features/signup/emails"


def send_signup_email(*, name: str, context: dict, to_address: str) -> None:
    context = {
        "login_url": absolute_url(reverse("accounts:login")),
        "password_reset_url": absolute_url(reverse("accounts:password_reset")),
        **context,
    }
    send_templated_email(
        template_dir=TEMPLATE_DIR, name=name, context=context, to_address=to_address
    )
