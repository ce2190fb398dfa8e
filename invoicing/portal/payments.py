"""The family pays online, comes back, and finds its payments and receipts.

The family posts only which invoices it wants to pay: the amount, the ownership and whether
each can be paid are decided by `payment_request_open`, never read from the form. Every view
takes the family from the request; another family's invoice, request or payment gives 404.
"""

import logging

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from portal_features.portal.family import family_required
from portal_features.portal.urls import portal_reverse
from portal_features.portal.views import portal_render

from ..choices import AttemptSource, AttemptState
from ..errors import InvoicingError
from ..models import Invoice
from ..payment_selectors import (
    family_payment,
    family_payment_request,
    family_payments,
    latest_attempt,
)
from ..payments.errors import PaymentError
from ..receipts import receipt_response
from ..services.online import (
    attempt_refresh,
    attempt_settle,
    attempt_start,
    expected_payment,
    payment_request_open,
    provider_for,
)

logger = logging.getLogger("invoicing.payments")


def _payer_email(request) -> str:
    guardian = getattr(request.user, "guardian", None)
    return request.user.email or (guardian.email if guardian else "")


def _back(request) -> HttpResponseRedirect:
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(referer)
    return redirect(portal_reverse(request, "invoicing:payments"))


@require_POST
@family_required
def pay(request):
    """Posted from « Factures »: `invoice` once per invoice chosen, nothing else is read."""
    try:
        invoice_ids = [int(value) for value in request.POST.getlist("invoice")]
    except ValueError:
        raise Http404 from None
    try:
        attempt = payment_request_open(
            family=request.family,
            invoice_ids=invoice_ids,
            user=request.user,
            email=_payer_email(request),
        )
    except Invoice.DoesNotExist:
        raise Http404 from None
    except InvoicingError as error:
        messages.error(request, error.message)
        return _back(request)
    payment_request = attempt.request
    return_url = request.build_absolute_uri(
        portal_reverse(request, "invoicing:payment_return", payment_request.number)
    )
    notify_url = request.build_absolute_uri(
        reverse("payment_notification", args=[attempt.provider])
    )
    try:
        created = attempt_start(attempt=attempt, return_url=return_url, notify_url=notify_url)
    except PaymentError as error:
        messages.error(request, error.message)
        return _back(request)
    if created.form is not None:
        return TemplateResponse(
            request,
            "invoicing/portal/payment_redirect.html",
            {"form": created.form, "payment_request": payment_request},
        )
    return HttpResponseRedirect(created.redirect_url)


def _settle_from_return(request, attempt) -> None:
    provider = provider_for(attempt.provider)
    signed = provider.parse_signed_return(request, expected=expected_payment(attempt.provider))
    if signed is not None and signed.provider_ref == attempt.provider_ref:
        attempt_settle(attempt_id=attempt.pk, status=signed.status, source=AttemptSource.RETURN)
    else:
        attempt_refresh(attempt=attempt, source=AttemptSource.RETURN)


@require_GET
@family_required
def payment_return(request, request_number):
    """Where the provider sends the family back. What the address says is believed only when
    the provider signed it (Systempay: checked as its notification is); otherwise the
    provider is asked (PayFiP), or the notification is awaited (Systempay)."""
    payment_request = family_payment_request(family=request.family, number=request_number)
    if payment_request is None:
        raise Http404
    attempt = latest_attempt(payment_request)
    if attempt is not None and attempt.state != AttemptState.PAID:
        try:
            _settle_from_return(request, attempt)
        except PaymentError as error:
            logger.warning("Status of %s not read at the return: %s", attempt, error)
        attempt = latest_attempt(payment_request)
    payment = getattr(attempt, "payment", None) if attempt else None
    return TemplateResponse(
        request,
        "invoicing/portal/payment_return.html",
        {
            "payment_request": payment_request,
            "attempt": attempt,
            "payment": payment,
            "invoices": payment_request.invoices.order_by("due_on", "pk"),
        },
    )


@require_GET
@family_required
def payment_list(request):
    return portal_render(
        request,
        "invoicing/portal/payment_list.html",
        {"payments": family_payments(family=request.family), "tab": "payments"},
    )


@require_GET
@family_required
def receipt(request, payment_id):
    payment = family_payment(family=request.family, payment_id=payment_id)
    if payment is None:
        raise Http404
    return receipt_response(payment)
