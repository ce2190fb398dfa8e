"""The providers' server-to-server notification, at /paiement/notification/<provider>/.

No login and no CSRF token: the provider's server posts it (PayFiP: `idOp=<id>`, unsigned, a
mere trigger; Systempay: signed `vads_` fields). A notification that fails its checks (bad
signature, another amount or currency, an unknown payment) is answered 400, logged, and
changes nothing. Otherwise it ends in `attempt_settle`, which is safe to call any number of
times: a provider that notifies twice, or ten times at once, gives one payment.
"""

import logging

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .choices import AttemptSource
from .models import PaymentAttempt
from .payments.errors import ProviderError, ProviderRefused
from .payments.providers import NotificationKind
from .services.online import (
    PROVIDER_KEYS,
    attempt_refresh,
    attempt_settle,
    expected_payment,
    provider_for,
)

logger = logging.getLogger("invoicing.payments")


@csrf_exempt  # the provider's server cannot hold our CSRF token; its message is checked instead
@require_http_methods(["GET", "POST"])
def payment_notification(request, provider):
    if provider not in PROVIDER_KEYS:
        raise Http404
    try:
        backend = provider_for(provider)
    except ImproperlyConfigured:  # the simulator, switched off
        raise Http404 from None
    try:
        notification = backend.parse_notification(request, expected=expected_payment(provider))
    except ProviderRefused as error:
        logger.warning("Notification refused by %s: %s", provider, error.reason)
        return HttpResponseBadRequest(error.reason)
    attempt = PaymentAttempt.objects.filter(
        provider=provider, provider_ref=notification.provider_ref
    ).first()
    if attempt is None:
        logger.warning("Notification from %s for an unknown payment", provider)
        return HttpResponseBadRequest("unknown_payment")
    if notification.kind == NotificationKind.RESULT:
        attempt_settle(
            attempt_id=attempt.pk, status=notification.status, source=AttemptSource.NOTIFICATION
        )
    else:
        try:
            attempt_refresh(
                attempt=attempt, source=AttemptSource.NOTIFICATION, raw=notification.raw
            )
        except ProviderError as error:
            # The reconciliation will ask again; the provider may retry meanwhile.
            logger.warning("Status of %s not read after its notification: %s", attempt, error)
            return HttpResponse("retry", status=503)
    return HttpResponse("OK")
