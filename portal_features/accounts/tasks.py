"""Password reset e-mails, looked up, rendered and sent in the task worker.

The request only enqueues the address typed, whether an account uses it or not: it then
does the same work, in the same time, for both, and tells nobody which addresses exist.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from core.emails import absolute_url, email_context, render_templated_email, send_email

TEMPLATE_DIR = "portal_features/accounts/emails"
ADMIN_TEMPLATE_DIR = "wagtailadmin/account/password_reset"


@task()
def send_password_reset_email(*, email: str, admin: bool = False) -> None:
    """E-mail each active account of `email` that has a password a link to choose a new one.

    `admin`: the link leads to the Wagtail admin's form, in Wagtail's e-mail.
    """
    # Django's rules: active accounts with a usable password, the address in any case.
    users = list(PasswordResetForm().get_users(email))
    if not users:
        return
    with translation.override(settings.LANGUAGE_CODE):
        site_name = email_context().get("site_name", "")
        for user in users:
            context = {
                "email": user.email,
                "user": user,
                "site_name": site_name,
                "uid": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            }
            if admin:
                _send_admin_email(context)
            else:
                _send_portal_email(context)


def _send_portal_email(context: dict) -> None:
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": context["uid"], "token": context["token"]},
    )
    context |= {
        "reset_url": absolute_url(path),
        "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
    }
    send_email.call(
        **render_templated_email(template_dir=TEMPLATE_DIR, name="password_reset", context=context),
        to_address=context["email"],
    )


def _send_admin_email(context: dict) -> None:
    # Wagtail's text-only e-mail; its link starts with WAGTAILADMIN_BASE_URL.
    base_url = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    context |= {"protocol": base_url.scheme, "domain": base_url.netloc}
    subject = loader.render_to_string(f"{ADMIN_TEMPLATE_DIR}/email_subject.txt", context)
    body = loader.render_to_string(f"{ADMIN_TEMPLATE_DIR}/email.txt", context)
    EmailMessage(subject=" ".join(subject.split()), body=body, to=[context["email"]]).send()
