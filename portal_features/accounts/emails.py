"""Render the account e-mails from their templates and hand them to the task queue."""

from django.template import loader

from .tasks import send_account_email

TEMPLATE_DIR = "portal_features/accounts/emails"


def send_templated_account_email(*, name: str, context: dict, to_address: str) -> None:
    """Render `<name>_subject.txt`, `<name>.txt` and `<name>.html`, then queue the e-mail.

    Rendering happens here, in the request's language; the task only receives strings.
    """
    subject = loader.render_to_string(f"{TEMPLATE_DIR}/{name}_subject.txt", context)
    send_account_email.enqueue(
        # A header cannot hold a line break.
        subject=" ".join(subject.split()),
        text_body=loader.render_to_string(f"{TEMPLATE_DIR}/{name}.txt", context),
        html_body=loader.render_to_string(f"{TEMPLATE_DIR}/{name}.html", context),
        to_address=to_address,
    )
