"""The order receipt e-mail: sent once a basket is submitted, to each guardian of the family
with an account who agreed to receive e-mails.

The view that submits only queues `order_receipt_email` with the order's id and the
language, once the order is committed; the task worker reads the order, renders the receipt
and sends it."""

import logging

from django.utils import translation
from django_tasks import task

from core.emails import enqueue_on_commit, send_templated_email_now
from portal_features.models import Guardian
from portal_features.portal.urls import portal_absolute_url

from .models import Order
from .selectors.orders import order_receipt_lines

TEMPLATE_DIR = "reservations/emails"

logger = logging.getLogger(__name__)


def order_receipt_recipients(family) -> list[str]:
    return list(
        Guardian.objects.filter(family=family, consents_to_email=True, user__is_active=True)
        .exclude(user__isnull=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )


def order_receipt_queue(*, order_id: int) -> None:
    """Queue the receipt of `order_id`, in the current language, once the current
    transaction commits (at once after a service's own, committed transaction; never for a
    rolled-back one)."""
    enqueue_on_commit(order_receipt_email, order_id=order_id, language=translation.get_language())


@task()
def order_receipt_email(*, order_id: int, language: str) -> int:
    """In the worker: the receipt of `order_id` rendered in `language` and sent."""
    with translation.override(language):
        return order_receipt_send(order_id=order_id)


def order_receipt_send(*, order_id: int) -> int:
    """Render the receipt (number, lines and their outcome, total, link) and send one
    e-mail per recipient; returns how many were sent."""
    order = Order.objects.select_related("family").get(pk=order_id)
    family = order.family
    recipients = order_receipt_recipients(family)
    if not recipients:
        return 0
    order = order_receipt_lines(order)
    context = {
        "order": order,
        "lines": order.receipt_lines,
        "family": family,
        "link_url": portal_absolute_url("reservations:order_detail", order_id=order.pk),
    }
    for email in recipients:
        send_templated_email_now(
            template_dir=TEMPLATE_DIR, name="order_receipt", context=context, to_address=email
        )
    logger.info("Receipt of order %s sent to %s address(es)", order.pk, len(recipients))
    return len(recipients)
