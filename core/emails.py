"""E-mails of the site: rendered in French from templates, sent by the task queue.

Each e-mail is three templates in one folder: `<name>_subject.txt`, `<name>.txt` and
`<name>.html`. Rendering happens in the caller (in the request's language); the task
only receives strings, so a slow mail server never slows a parent down.

What every e-mail may show whoever sends it (the commune's name, as `site_name`) comes from
context providers that apps register in their `AppConfig.ready()`: the kernel knows no app,
and the commune's identity belongs to `cms`.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, loader
from django_tasks import task


@task()
def send_email(*, subject: str, text_body: str, html_body: str, to_address: str) -> None:
    """Send one e-mail (text with an HTML alternative) from the task worker."""
    message = EmailMultiAlternatives(subject=subject, body=text_body, to=[to_address])
    message.attach_alternative(html_body, "text/html")
    message.send()


def absolute_url(path: str) -> str:
    """Absolute address of a path of the site, for links in e-mails sent outside a request."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


_context_providers: list[Callable[[], dict]] = []


def email_context_provider_register(provider: Callable[[], dict]) -> None:
    """Add `provider` (no arguments, returns a dict) to what every e-mail's context holds."""
    if provider not in _context_providers:
        _context_providers.append(provider)


def email_context() -> dict:
    """The context every e-mail shares, from the registered providers."""
    context = {}
    for provider in _context_providers:
        context |= provider()
    return context


def render_subject(template_name: str, context: dict) -> str:
    """An e-mail's subject as plain text on one line: rendered without HTML escaping (a
    subject is no HTML: « Demande d'inscription », never d&#x27;inscription), its line
    breaks folded since a header cannot hold one."""
    template = loader.get_template(template_name).template
    return " ".join(template.render(Context(context, autoescape=False)).split())


def render_templated_email(*, template_dir: str, name: str, context: dict) -> dict:
    """The subject, text and HTML of one e-mail: the keyword arguments of send_email.

    `context` is laid over the shared context, so a caller may give its own `site_name`."""
    context = email_context() | context
    return {
        "subject": render_subject(f"{template_dir}/{name}_subject.txt", context),
        "text_body": loader.render_to_string(f"{template_dir}/{name}.txt", context),
        "html_body": loader.render_to_string(f"{template_dir}/{name}.html", context),
    }


def send_templated_email(*, template_dir: str, name: str, context: dict, to_address: str) -> None:
    send_email.enqueue(
        **render_templated_email(template_dir=template_dir, name=name, context=context),
        to_address=to_address,
    )
