"""Systempay (Caisse d'Épargne, Banque Populaire) and PayZen, the same Lyra platform, through
eopayment's `systempayv2` backend.

The family's browser posts a signed form to the platform; the platform posts a signed
notification (IPN) to our notification URL. The signature is HMAC-SHA-256 over every `vads_`
field in name order, then the shop's key, base64: eopayment computes it, we compare it in
constant time. A notification is refused (`ProviderRefused`: HTTP 400, logged, nothing
changes) when it is malformed, signed for the other mode (a TEST payment is no money in
PRODUCTION), badly signed, names a payment we do not know, or carries another amount or
another currency than the ones we stored: a correctly signed message about 1 € cannot pay a
120 € attempt.

The browser's return carries the same signed fields (`parse_signed_return`): they settle
the attempt only when they pass the same checks; an unsigned or altered return changes
nothing. eopayment reads no status back from Lyra (its REST API needs another credential), so
`can_fetch_status` is False: Lyra retries its IPN until we answer 200, and the ledger keeps the
attempt pending meanwhile.
"""

from __future__ import annotations

import datetime
import hmac
import logging
import re
from decimal import Decimal
from typing import NoReturn
from urllib.parse import parse_qs

import eopayment
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from eopayment.common import CANCELLED, DENIED, EXPIRED, PAID, WAITING, ResponseError

from core.money import exact_cents

from ..errors import PaymentRequestInvalid, ProviderRefused
from .base import (
    CreatedPayment,
    ExpectedLookup,
    Notification,
    NotificationKind,
    PaymentForm,
    PaymentMethod,
    PaymentRequestData,
    PaymentState,
    Provider,
    ProviderStatus,
    expected_for,
)

logger = logging.getLogger("invoicing.payments")

MODES = ("TEST", "PRODUCTION")
ORDER_ID_RE = re.compile(r"^[A-Za-z0-9-]{1,32}$")
ISO_4217_NUMERIC = {"EUR": "978"}
RESULTS = {
    PAID: PaymentState.PAID,
    DENIED: PaymentState.REFUSED,
    CANCELLED: PaymentState.ABANDONED,
    WAITING: PaymentState.PENDING,
    EXPIRED: PaymentState.EXPIRED,
}
# The fields a notification must carry for us to check it.
REQUIRED_FIELDS = {
    "signature",
    "vads_ctx_mode",
    "vads_auth_result",
    "vads_amount",
    "vads_currency",
    "vads_trans_id",
    "vads_trans_date",
}


class SystempayProvider(Provider):
    name = "systempay"
    can_fetch_status = False
    notification_is_trusted = True

    def __init__(
        self,
        *,
        site_id: str,
        key: str,
        mode: str = "TEST",
        service_url: str | None = None,
        backend: str = eopayment.SYSTEMPAY,
    ):
        if mode not in MODES:
            raise ValueError(f"Systempay mode must be one of {MODES}, not {mode!r}.")
        self.site_id = site_id
        self.key = key
        self.mode = mode
        self.service_url = service_url
        self.backend_name = backend  # systempayv2 or payzen: the same protocol

    def _payment(self, *, return_url: str = "", notify_url: str = "") -> eopayment.Payment:
        options = {
            "vads_site_id": self.site_id,
            "vads_ctx_mode": self.mode,
            f"secret_{self.mode.lower()}": self.key,
            "signature_algo": "hmac_sha256",
            "normal_return_url": return_url,
            "automatic_return_url": notify_url,
        }
        if self.service_url:
            options["service_url"] = self.service_url
        return eopayment.Payment(self.backend_name, options, logger=logger)

    def sign(self, fields: dict[str, str]) -> str:
        """The signature of `fields` with this shop's key (the simulator signs with it too)."""
        return self._payment().backend.signature(fields)

    def create(
        self, request_data: PaymentRequestData, *, now: datetime.datetime | None = None
    ) -> CreatedPayment:
        amount_cents(request_data.amount)
        order_id = re.sub(r"[\s_/.:]", "", request_data.reference)
        if not ORDER_ID_RE.match(order_id):
            raise PaymentRequestInvalid(
                _(
                    "The payment reference « %(reference)s » must have 1 to 32 letters "
                    "(without accents), digits or hyphens."
                )
                % {"reference": request_data.reference},
                field="vads_order_id",
            )
        payment = self._payment(
            return_url=request_data.return_url, notify_url=request_data.notify_url
        )
        now = (now or timezone.now()).astimezone(datetime.UTC)
        provider_ref, _kind, form = payment.request(
            request_data.amount,
            email=request_data.email or None,
            orderid=order_id,
            info1=request_data.subject[:255] or None,
            vads_trans_date=now.strftime("%Y%m%d%H%M%S"),
        )
        fields = tuple((item["name"], item["value"]) for item in form.fields)
        return CreatedPayment(
            provider_ref=provider_ref,
            form=PaymentForm(url=form.url, method=form.method, fields=fields),
            sent=dict(fields),
        )

    def parse_notification(
        self, request: HttpRequest, *, expected: ExpectedLookup | None = None
    ) -> Notification:
        body = request.body.decode("utf-8", "replace") if request.method == "POST" else ""
        return self._checked(body, expected=expected)

    def parse_signed_return(
        self, request: HttpRequest, *, expected: ExpectedLookup | None = None
    ) -> Notification | None:
        """Lyra appends the IPN's signed fields to the return address: believed only when
        they pass every check of a notification (signature, mode, amount, currency, a payment
        of ours); an unsigned, forged or altered return gives None and is logged."""
        query = request.META.get("QUERY_STRING", "")
        if request.method != "GET" or "signature" not in parse_qs(query, True):
            return None
        try:
            return self._checked(query, expected=expected, source="return")
        except ProviderRefused:
            return None

    def _checked(
        self, body: str, *, expected: ExpectedLookup | None, source: str = "notification"
    ) -> Notification:
        """`body`'s signed fields, checked; raises ProviderRefused (logged) otherwise."""
        fields = {key: values[0] for key, values in parse_qs(body, True).items()}
        if not set(fields) >= REQUIRED_FIELDS:
            self._refuse(source, "malformed", "missing fields", fields)
        if fields["vads_ctx_mode"] != self.mode:
            self._refuse(source, "mode_mismatch", fields["vads_ctx_mode"], fields)
        if not hmac.compare_digest(self.sign(fields).encode(), fields["signature"].encode()):
            self._refuse(source, "bad_signature", "", fields)
        try:
            response = self._payment().response(body)
        except ResponseError:
            self._refuse(source, "malformed", "unreadable", fields)
        if not response.signed:  # eopayment's own check of the same signature
            self._refuse(source, "bad_signature", "", fields)
        provider_ref = response.order_id
        stored = expected_for(expected, provider_ref)
        if stored is None:
            self._refuse(source, "unknown_payment", provider_ref, fields)
        if fields["vads_amount"] != str(amount_cents(stored.amount, check_range=False)):
            self._refuse(source, "amount_mismatch", fields["vads_amount"], fields)
        if fields["vads_currency"] != ISO_4217_NUMERIC.get(stored.currency):
            self._refuse(source, "currency_mismatch", fields["vads_currency"], fields)
        state = RESULTS.get(response.result, PaymentState.UNKNOWN)
        paid_at = response.transaction_date or parse_trans_date(fields["vads_trans_date"])
        status = ProviderStatus(
            state=state,
            amount=stored.amount,
            paid_at=paid_at if state == PaymentState.PAID else None,
            transaction_id=fields.get("vads_auth_number", ""),
            method=(
                PaymentMethod.DIRECT_DEBIT
                if fields.get("vads_card_brand") == "SDD"
                else PaymentMethod.CARD
            ),
            test=fields["vads_ctx_mode"] == "TEST",
            raw=fields,
        )
        return Notification(
            provider_ref=provider_ref, kind=NotificationKind.RESULT, status=status, raw=fields
        )

    def parse_return(self, request: HttpRequest) -> str | None:
        trans_date = request.GET.get("vads_trans_date", "")
        trans_id = request.GET.get("vads_trans_id", "")
        if re.fullmatch(r"[0-9]{14}", trans_date) and re.fullmatch(r"[A-Za-z0-9]{6}", trans_id):
            return f"{trans_date}_{trans_id}"
        return None

    def _refuse(self, source: str, reason: str, detail: str, fields: dict[str, str]) -> NoReturn:
        logger.warning(
            "Systempay %s refused (%s) %s for %s_%s",
            source,
            reason,
            detail,
            fields.get("vads_trans_date", "?"),
            fields.get("vads_trans_id", "?"),
        )
        messages = {
            "malformed": _("This notification is incomplete."),
            "mode_mismatch": _("This notification was sent for another mode (test or real)."),
            "bad_signature": _("This notification's signature is wrong."),
            "unknown_payment": _("This notification names an unknown payment."),
            "amount_mismatch": _("This notification's amount differs from the payment's."),
            "currency_mismatch": _("This notification's currency differs from the payment's."),
        }
        raise ProviderRefused(messages[reason], reason=reason)


def amount_cents(amount: Decimal, *, check_range: bool = True) -> int:
    cents = exact_cents(amount)
    if cents is None or (check_range and amount <= 0):
        raise PaymentRequestInvalid(
            _("The amount to pay must be in euros and cents, above zero."), field="vads_amount"
        )
    return cents


def parse_trans_date(value: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=datetime.UTC)
    except ValueError:
        return None
