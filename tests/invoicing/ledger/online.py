"""Opening online payments as the portal does, and the provider's side (the simulator)."""

from django.urls import reverse

from invoicing.services.online import attempt_start, payment_request_open

RETURN_URL = "http://testserver/portail/invoices/payments/return/{number}/"


def notify_url(provider):
    return "http://testserver" + reverse("payment_notification", args=[provider])


def open_attempt(
    family, invoices, *, provider="simulator-payfip", email="claire@example.fr", now=None
):
    """A request for `invoices`, opened at the provider: (attempt, CreatedPayment)."""
    attempt = payment_request_open(
        family=family,
        invoice_ids=[invoice.pk for invoice in invoices],
        email=email,
        provider=provider,
        now=now,
    )
    created = attempt_start(
        attempt=attempt,
        return_url=RETURN_URL.format(number=attempt.request.number),
        notify_url=notify_url(provider),
        now=now,
    )
    return attempt, created
