"""PayFiP, the DGFiP's payment service for public bodies, through its « Régie » web service.

We go through Entr'ouvert's eopayment, backend `payfip_ws` (SOAP, with the WSDL eopayment
ships), never the legacy `tipi` backend, which believes the `resultrans` posted to the
notification URL: anyone could post « P » there. Here the notification is only a trigger,
`idOp=<id>` and nothing else that we read; what happened is always asked of the DGFiP with
`recupererDetailPaiementSecurise` (`fetch_status`), which also works without any
notification (the reconciliation job; PayFiP's test platform is known never to notify).

Reading the answer:
- `resultrans` P (card) and V (one-off direct debit) are paid, R (card) and Z (debit) are
  refused, A is abandoned; anything else is unknown;
- fault P5 means the idOp has no result yet: the family may still be on PayFiP's page for
  the idOp's first 20 minutes, so it is pending until then and expired after;
- fault P1 means the idOp is unknown (PayFiP purges unused ones overnight): expired.

eopayment's own `payment_status` waits 2 hours on P5 and reads the clock itself; our rule is
20 minutes and the caller's `now`, so we read the detail through eopayment's SOAP client and
decide here.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Mapping
from decimal import Decimal
from urllib.parse import urlencode

import eopayment
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from eopayment import payfip_ws
from zeep.helpers import serialize_object

from core.time import PARIS, local_today

from ..errors import ProviderError, ProviderRefused
from ..payfip_fields import PayFiPRequest, build_payfip_request
from .base import (
    CreatedPayment,
    ExpectedLookup,
    Notification,
    NotificationKind,
    PaymentMethod,
    PaymentRequestData,
    PaymentState,
    Provider,
    ProviderStatus,
)

logger = logging.getLogger("invoicing.payments")

IDOP_RE = re.compile(r"^[A-Za-z0-9-]{1,64}$")
# An idOp lives about 15 minutes; after 20 a P5 (« no result yet ») means it never will.
P5_EXPIRY = datetime.timedelta(minutes=20)
RESULTRANS = {
    "P": (PaymentState.PAID, PaymentMethod.CARD),
    "V": (PaymentState.PAID, PaymentMethod.DIRECT_DEBIT),
    "R": (PaymentState.REFUSED, PaymentMethod.CARD),
    "Z": (PaymentState.REFUSED, PaymentMethod.DIRECT_DEBIT),
    "A": (PaymentState.ABANDONED, PaymentMethod.UNKNOWN),
}


class PayFiPProvider(Provider):
    name = "payfip"
    can_fetch_status = True
    notification_is_trusted = False

    def __init__(
        self,
        *,
        numcli: str,
        mode: str,
        service=None,
        payment_url: str = payfip_ws.PAYMENT_URL,
        timeout: float | None = None,
    ):
        self.numcli = numcli
        self.mode = mode
        # eopayment's SOAP client, or anything with its get_idop/get_info_paiement (the
        # simulator's service).
        self.service = service or payfip_ws.PayFiP()
        self.payment_url = payment_url
        self.timeout = timeout

    def build_request(
        self, request_data: PaymentRequestData, *, now: datetime.datetime | None = None
    ) -> PayFiPRequest:
        return build_payfip_request(
            reference=request_data.reference,
            amount=request_data.amount,
            email=request_data.email,
            subject=request_data.subject,
            return_url=request_data.return_url,
            notify_url=request_data.notify_url,
            year=request_data.year or local_today(now).year,
            numcli=self.numcli,
            mode=self.mode,
        )

    def create(
        self, request_data: PaymentRequestData, *, now: datetime.datetime | None = None
    ) -> CreatedPayment:
        fields = self.build_request(request_data, now=now)
        payment = eopayment.Payment(
            eopayment.PAYFIP_WS,
            {
                "numcli": fields.numcli,
                "saisie": fields.saisie,
                "normal_return_url": fields.urlredirect,
                "automatic_return_url": fields.urlnotif,
            },
            logger=logger,
        )
        payment.backend.payfip = self.service
        try:
            idop, _kind, _url = payment.request(
                fields.amount,
                email=fields.mel,
                refdet=fields.refdet,
                exer=fields.exer,
                subject=fields.objet or None,
                timeout=self.timeout,
            )
        except payfip_ws.PayFiPError as error:
            logger.warning("PayFiP refused to open %s: %s", fields.refdet, error)
            raise ProviderError(
                _("PayFiP could not open the payment (%(code)s). Please try again later.")
                % {"code": error.code},
                code=str(error.code),
            ) from error
        if not IDOP_RE.match(idop or ""):
            raise ProviderError(_("PayFiP answered without a payment number."))
        return CreatedPayment(
            provider_ref=idop,
            redirect_url=f"{self.payment_url}?{urlencode({'idop': idop})}",
            sent=fields.as_fields(),
        )

    def parse_notification(
        self, request: HttpRequest, *, expected: ExpectedLookup | None = None
    ) -> Notification:
        """PayFiP posts `idOp=<id>`. Only the idOp is read: any other field (a forged
        `resultrans`) is ignored, since fetch_status asks the DGFiP."""
        idop = request.POST.get("idOp", "").strip() if request.method == "POST" else ""
        if not IDOP_RE.match(idop):
            logger.warning("PayFiP notification refused: no valid idOp")
            raise ProviderRefused(_("This notification names no payment."), reason="malformed")
        ignored = sorted(set(request.POST) - {"idOp"})
        if ignored:
            logger.warning("PayFiP notification for %s: fields ignored: %s", idop, ignored)
        return Notification(provider_ref=idop, kind=NotificationKind.TRIGGER, raw={"idOp": idop})

    def parse_return(self, request: HttpRequest) -> str | None:
        idop = (request.GET.get("idop") or request.GET.get("idOp") or "").strip()
        return idop if IDOP_RE.match(idop) else None

    def fetch_status(
        self,
        provider_ref: str,
        *,
        created_at: datetime.datetime | None = None,
        now: datetime.datetime | None = None,
    ) -> ProviderStatus:
        now = now or timezone.now()
        try:
            detail = self.service.get_info_paiement(provider_ref, timeout=self.timeout)
        except payfip_ws.PayFiPError as error:
            return status_from_fault(error, created_at=created_at, now=now)
        return status_from_detail(detail_as_dict(detail))


def status_from_fault(
    error: payfip_ws.PayFiPError,
    *,
    created_at: datetime.datetime | None,
    now: datetime.datetime,
) -> ProviderStatus:
    raw = {"code": str(error.code), "message": str(error.message)}
    if error.code == "P1":
        return ProviderStatus(state=PaymentState.EXPIRED, raw=raw)
    if error.code == "P5":
        if created_at is not None and now - created_at >= P5_EXPIRY:
            return ProviderStatus(state=PaymentState.EXPIRED, raw=raw)
        return ProviderStatus(state=PaymentState.PENDING, raw=raw)
    logger.warning("PayFiP detail lookup failed: %s", error)
    raise ProviderError(
        _("PayFiP did not say where the payment stands (%(code)s).") % {"code": error.code},
        code=str(error.code),
    ) from error


def detail_as_dict(detail) -> dict[str, str]:
    """recupererDetailPaiementSecurise's answer (a zeep object, or a mapping from the
    simulator) as plain text fields."""
    if not isinstance(detail, Mapping):
        detail = serialize_object(detail, dict) or {}
    return {key: "" if value is None else str(value) for key, value in detail.items()}


def status_from_detail(detail: Mapping[str, str]) -> ProviderStatus:
    state, method = RESULTRANS.get(detail.get("resultrans", ""), (PaymentState.UNKNOWN, ""))
    montant = detail.get("montant", "")
    return ProviderStatus(
        state=state,
        amount=(Decimal(montant) / 100).quantize(Decimal("0.01")) if montant.isdigit() else None,
        paid_at=transaction_datetime(detail) if state == PaymentState.PAID else None,
        transaction_id=detail.get("numauto", ""),
        method=PaymentMethod(method),
        test=detail.get("saisie") == "T",
        raw=dict(detail),
    )


def transaction_datetime(detail: Mapping[str, str]) -> datetime.datetime | None:
    """`dattrans` (JJMMAAAA) and `heurtrans` (HHMM), Paris time."""
    try:
        naive = datetime.datetime.strptime(
            detail.get("dattrans", "") + detail.get("heurtrans", ""), "%d%m%Y%H%M"
        )
    except ValueError:
        return None
    return naive.replace(tzinfo=PARIS)
