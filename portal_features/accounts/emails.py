"""The account e-mails (password reset, e-mail change notice)."""

from core.emails import send_templated_email

TEMPLATE_DIR = "portal_features/accounts/emails"


def send_templated_account_email(*, name: str, context: dict, to_address: str) -> None:
    send_templated_email(
        template_dir=TEMPLATE_DIR, name=name, context=context, to_address=to_address
    )
