"""The order receipt e-mail: sent once a basket is submitted, to each guardian of the family
with an account who agreed to receive e-mails."""

import logging

from core.emails import send_templated_email
from portal_features.models import Guardian
from portal_features.portal.urls import portal_absolute_url

from .models import Order
from .selectors.orders import order_receipt

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


def order_receipt_send(*, order_id: int) -> int:
    """Render the receipt (number, lines and their outcome, total, link) and queue one
    e-mail per recipient; returns how many were queued."""
    family = Order.objects.select_related("family").get(pk=order_id).family
    order = order_receipt(family, order_id)
    recipients = order_receipt_recipients(family)
    if not recipients:
        return 0
    context = {
        "order": order,
        "lines": order.receipt_lines,
        "family": family,
        "link_url": portal_absolute_url("reservations:order_detail", order_id=order.pk),
    }
    for email in recipients:
        send_templated_email(
            template_dir=TEMPLATE_DIR, name="order_receipt", context=context, to_address=email
        )
    logger.info("Receipt of order %s sent to %s address(es)", order.pk, len(recipients))
    return len(recipients)
