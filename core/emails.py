"""E-mails of the site: rendered in French from templates, sent by the task queue.

Each e-mail is three templates in one folder: `<name>_subject.txt`, `<name>.txt` and
`<name>.html`. Two ways to send one:

- `send_templated_email`: the caller renders, the task only receives strings and sends (a
  slow mail server never slows a parent down);
- an e-mail nobody waits for in the request (a receipt, an alert's copy) is a task of its
  own app that receives ids and the language, queued by `enqueue_on_commit`: the worker
  loads, renders (`send_templated_email_now`) and sends, so the request pays one queued
  row and neither the reads nor the templates.

What every e-mail may show whoever sends it (the commune's name, as `site_name`) comes from
context providers that apps register in their `AppConfig.ready()`: the kernel knows no app,
and the commune's identity belongs to `cms`.
"""

from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
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


def send_templated_email_now(*, template_dir: str, name: str, context: dict, to_address: str):
    """Render and send at once: for a task, which already runs in the worker."""
    send_email.call(
        **render_templated_email(template_dir=template_dir, name=name, context=context),
        to_address=to_address,
    )


def enqueue_on_commit(task_function, **kwargs) -> None:
    """Queue `task_function` with `kwargs` (ids and strings) once the current transaction
    commits; nothing is queued for a rolled-back one. Outside a transaction it is queued at
    once. A failure to queue is logged, never turned into an error page: the change the
    e-mail tells is already committed."""
    transaction.on_commit(partial(task_function.enqueue, **kwargs), robust=True)
