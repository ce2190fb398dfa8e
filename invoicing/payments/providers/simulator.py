"""The built-in payment simulator: PayFiP and Systempay as they behave, with no money.

It replaces the provider's side only, so our side runs its real code:

- PayFiP: `SimulatedPayFiPService` stands where eopayment's SOAP client stands. It hands out
  idOps, keeps each payment in the cache, answers `get_info_paiement` with the detail PayFiP
  would give (or the faults P5 « no result yet » and P1 « unknown idOp »), and its page
  notifies with a POST of `idOp=<id>` and nothing else. The `PayFiPProvider` in front is the
  production class: field rules, idOp-only notifications, status read back.
- Systempay: the production `SystempayProvider`, pointed at the simulator's page and signing
  with the simulator's own key (derived from SECRET_KEY). The page checks the form's
  signature, as Lyra does, and notifies with signed `vads_` fields.

The page offers what a family can do (paid by card P, by direct debit V, card refused R,
debit refused Z, abandoned A) and what goes wrong between servers: notify twice, notify late
(kept until `manage.py payment_simulator_notify` or the page's button sends it), never
notify, and « P5 then paid » (the first status lookup says « still running »).

Notifications are delivered in-process: a request built from the notification URL and body
goes through the whole middleware stack (CSRF included) to the view the URL resolves to, as
a POST from the provider's server would, without a second server or a network. The demo's
single runserver process can thus notify itself.

The simulator refuses to run unless PAYMENT_SIMULATOR_ENABLED is set, and outside DEBUG
unless PAYMENT_SIMULATOR_ALLOWED_IN_PRODUCTION is set too (the system check says so at start).
"""

from __future__ import annotations

import datetime
import io
import logging
import secrets
import sys
import uuid
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from eopayment.payfip_ws import PayFiPError

from core.time import local_now

from .payfip import PayFiPProvider
from .systempay import SystempayProvider

logger = logging.getLogger("invoicing.payments")

# PayFiP answers a detail lookup for up to a year: the simulator keeps its payments as long.
STORE_SECONDS = 400 * 24 * 3600
LATE_DELAY = datetime.timedelta(minutes=30)  # past PayFiP's 20-minute window
SITE_ID = "12345678"
KEY_PREFIX = "payment-simulator"
LATE_INDEX_KEY = f"{KEY_PREFIX}:late"


@dataclass(frozen=True)
class Choice:
    """One button of the simulator's page."""

    result: str  # PayFiP's resultrans: P, V, R, Z, A
    notifications: int = 1  # sent at once
    late: bool = False  # one more, kept for later
    in_progress_lookups: int = 0  # status lookups answered « still running » first


CHOICES = {
    "P": Choice("P"),
    "V": Choice("V"),
    "R": Choice("R"),
    "Z": Choice("Z"),
    "A": Choice("A"),
    "P_twice": Choice("P", notifications=2),
    "P_late": Choice("P", notifications=0, late=True),
    "P_never": Choice("P", notifications=0),
    "P5_then_P": Choice("P", notifications=0, late=True, in_progress_lookups=1),
}
# What the Systempay page offers: its status cannot be looked up, so no « P5 then paid ».
SYSTEMPAY_CHOICES = [name for name in CHOICES if name != "P5_then_P"]


def simulator_enabled() -> bool:
    return bool(settings.PAYMENT_SIMULATOR_ENABLED) and bool(
        settings.DEBUG or settings.PAYMENT_SIMULATOR_ALLOWED_IN_PRODUCTION
    )


def simulator_key() -> str:
    """The simulated shop's Systempay key: stable for one SECRET_KEY, never written down."""
    return salted_hmac("invoicing.payments.simulator", "systempay").hexdigest()


# The store: one cache entry per payment, keyed by its provider reference.


def _key(provider_ref: str) -> str:
    return f"{KEY_PREFIX}:payment:{provider_ref}"


def get_payment(provider_ref: str) -> dict | None:
    return cache.get(_key(provider_ref))


def _save(record: dict) -> None:
    cache.set(_key(record["provider_ref"]), record, STORE_SECONDS)


# PayFiP's side.


class SimulatedPayFiPService:
    """eopayment's PayFiP SOAP client, simulated: same methods, same faults."""

    def get_idop(
        self,
        numcli,
        saisie,
        exer,
        refdet,
        montant,
        mel,
        url_notification,
        url_redirect,
        objet=None,
        timeout=None,
    ) -> str:
        idop = str(uuid.uuid4())
        _save(
            {
                "protocol": "payfip",
                "provider_ref": idop,
                "amount": Decimal(int(montant)) / 100,
                "reference": refdet,
                "subject": objet or "",
                "email": mel,
                "notify_url": url_notification,
                "return_url": url_redirect,
                "created_at": timezone.now(),
                "fields": {
                    "numcli": numcli,
                    "saisie": saisie,
                    "exer": exer,
                    "refdet": refdet,
                    "montant": str(int(montant)),
                    "mel": mel,
                    "objet": objet or "",
                },
                "choice": None,
                "in_progress_lookups": 0,
                "deliveries": [],
                "late": None,
            }
        )
        return idop

    def get_info_paiement(self, idop, timeout=None) -> dict[str, str]:
        record = get_payment(idop)
        if record is None or record["protocol"] != "payfip":
            raise PayFiPError("P1", "IdOp incorrect.")
        if record["choice"] is None or record["in_progress_lookups"] > 0:
            if record["in_progress_lookups"] > 0:
                record["in_progress_lookups"] -= 1
                _save(record)
            raise PayFiPError("P5", "Transaction non trouvée ou en cours.")
        done_at = local_now(record["done_at"])
        return {
            **record["fields"],
            "idOp": idop,
            "resultrans": record["result"],
            "dattrans": done_at.strftime("%d%m%Y"),
            "heurtrans": done_at.strftime("%H%M"),
            "numauto": record["auth_number"] if record["result"] in ("P", "V") else "",
        }


class SimulatedPayFiPProvider(PayFiPProvider):
    name = "simulator"


class SimulatedSystempayProvider(SystempayProvider):
    name = "simulator"


def simulator_provider(options=None):
    """The simulator speaking `options["protocol"]`: "payfip" (default) or "systempay"."""
    if not simulator_enabled():
        raise ImproperlyConfigured(
            "The payment simulator is off: set PAYMENT_SIMULATOR_ENABLED (and, outside DEBUG, "
            "PAYMENT_SIMULATOR_ALLOWED_IN_PRODUCTION)."
        )
    options = dict(options or {})
    protocol = options.get("protocol", "payfip")
    if protocol == "payfip":
        return SimulatedPayFiPProvider(
            numcli=options.get("numcli") or settings.PAYFIP_NUMCLI or "000000",
            mode=options.get("mode", "test"),
            service=SimulatedPayFiPService(),
            payment_url=reverse("payment_simulator:payfip"),
        )
    if protocol == "systempay":
        return SimulatedSystempayProvider(
            site_id=SITE_ID,
            key=simulator_key(),
            mode="TEST",
            service_url=reverse("payment_simulator:systempay"),
        )
    raise ValueError(f"The simulator speaks payfip or systempay, not {protocol!r}.")


# Systempay's side.


def register_systempay_form(fields: dict[str, str]) -> str | None:
    """The family's browser posted the shop's form: check its signature as Lyra does and keep
    the payment. Returns its reference, or None when the form is not signed by our key."""
    provider = simulator_provider({"protocol": "systempay"})
    if (
        fields.get("vads_ctx_mode") != "TEST"
        or fields.get("vads_site_id") != SITE_ID
        or not fields.get("vads_amount", "").isdigit()
        or fields.get("signature") != provider.sign(fields)
    ):
        return None
    provider_ref = f"{fields['vads_trans_date']}_{fields['vads_trans_id']}"
    if get_payment(provider_ref) is None:
        _save(
            {
                "protocol": "systempay",
                "provider_ref": provider_ref,
                "amount": Decimal(int(fields["vads_amount"])) / 100,
                "reference": fields.get("vads_order_id", ""),
                "subject": fields.get("vads_order_info", ""),
                "email": fields.get("vads_cust_email", ""),
                "notify_url": fields.get("vads_url_check", ""),
                "return_url": fields.get("vads_url_return", ""),
                "created_at": timezone.now(),
                "fields": fields,
                "choice": None,
                "in_progress_lookups": 0,
                "deliveries": [],
                "late": None,
            }
        )
    return provider_ref


SYSTEMPAY_ECHOED = (
    "vads_amount",
    "vads_currency",
    "vads_ctx_mode",
    "vads_site_id",
    "vads_trans_id",
    "vads_trans_date",
    "vads_order_id",
    "vads_order_info",
    "vads_cust_email",
    "vads_ext_info_eopayment_trans_id",
    "vads_page_action",
    "vads_payment_config",
    "vads_version",
)
SYSTEMPAY_RESULTS = {
    "P": {"vads_result": "00", "vads_auth_result": "00", "vads_trans_status": "AUTHORISED"},
    "V": {"vads_result": "00", "vads_auth_result": "00", "vads_trans_status": "AUTHORISED"},
    "R": {"vads_result": "05", "vads_auth_result": "05", "vads_trans_status": "REFUSED"},
    "Z": {"vads_result": "05", "vads_auth_result": "05", "vads_trans_status": "REFUSED"},
    "A": {"vads_result": "17", "vads_auth_result": "", "vads_trans_status": "ABANDONED"},
}


def systempay_result_fields(record: dict) -> dict[str, str]:
    """The signed fields Lyra posts (IPN) and appends to the return address."""
    fields = {key: record["fields"][key] for key in SYSTEMPAY_ECHOED if key in record["fields"]}
    result = record["result"]
    fields.update(SYSTEMPAY_RESULTS[result])
    fields.update(
        {
            "vads_card_brand": "SDD" if result in ("V", "Z") else "CB",
            "vads_auth_number": record["auth_number"] if result in ("P", "V") else "",
            "vads_effective_creation_date": record["done_at"]
            .astimezone(datetime.UTC)
            .strftime("%Y%m%d%H%M%S"),
            "vads_operation_type": "DEBIT",
            "vads_url_check_src": "PAY",
        }
    )
    fields["signature"] = simulator_provider({"protocol": "systempay"}).sign(fields)
    return fields


# The family's choice, its notifications and the way back.


def notification_body(record: dict) -> bytes:
    if record["protocol"] == "payfip":
        return urlencode({"idOp": record["provider_ref"]}).encode()
    return urlencode(systempay_result_fields(record)).encode()


def return_address(record: dict) -> str:
    """Where the browser goes back: PayFiP adds `idop`, Systempay its signed fields."""
    if record["protocol"] == "payfip":
        extra = {"idop": record["provider_ref"]}
    else:
        extra = systempay_result_fields(record) if record["choice"] else {}
    return _with_query(record["return_url"], extra)


def choose(provider_ref: str, choice_name: str, *, now: datetime.datetime | None = None) -> str:
    """Apply the family's choice to a payment not yet decided; send what it sends now; return
    the address the browser goes back to. Raises LookupError on an unknown payment or choice,
    ValueError when the payment was already decided (an idOp is used once)."""
    record = get_payment(provider_ref)
    if record is None or choice_name not in CHOICES:
        raise LookupError(provider_ref)
    if record["choice"] is not None:
        raise ValueError(provider_ref)
    if record["protocol"] == "systempay" and choice_name not in SYSTEMPAY_CHOICES:
        raise LookupError(choice_name)
    now = now or timezone.now()
    choice = CHOICES[choice_name]
    record.update(
        choice=choice_name,
        result=choice.result,
        done_at=now,
        auth_number=f"{secrets.randbelow(10**6):06d}",
        in_progress_lookups=choice.in_progress_lookups,
    )
    if choice.late:
        record["late"] = {"due_at": now + LATE_DELAY}
        index = cache.get(LATE_INDEX_KEY, [])
        cache.set(LATE_INDEX_KEY, [*index, provider_ref], STORE_SECONDS)
    _save(record)
    for _number in range(choice.notifications):
        notify(provider_ref)
    return return_address(record)


def notify(provider_ref: str) -> int:
    """Send the payment's notification now; the status code is recorded and returned."""
    record = get_payment(provider_ref)
    status = deliver(record["notify_url"], notification_body(record))
    record = get_payment(provider_ref)
    record["deliveries"].append({"at": timezone.now(), "status": status})
    _save(record)
    return status


def send_late_notifications(
    *, now: datetime.datetime | None = None, everything: bool = False
) -> list[str]:
    """Send the notifications kept for later whose time has come (all with `everything`)."""
    now = now or timezone.now()
    sent, kept = [], []
    for provider_ref in cache.get(LATE_INDEX_KEY, []):
        record = get_payment(provider_ref)
        if record is None or record["late"] is None:
            continue
        if not everything and record["late"]["due_at"] > now:
            kept.append(provider_ref)
            continue
        record["late"] = None
        _save(record)
        notify(provider_ref)
        sent.append(provider_ref)
    cache.set(LATE_INDEX_KEY, kept, STORE_SECONDS)
    return sent


def late_notifications() -> list[dict]:
    records = (get_payment(ref) for ref in cache.get(LATE_INDEX_KEY, []))
    return [record for record in records if record and record["late"]]


def deliver(url: str, body: bytes) -> int:
    """POST `body` (form-encoded) to `url` through our own request handler, in-process."""
    parts = urlsplit(url)
    host = parts.netloc or _default_host()
    server_name, _sep, port = host.partition(":")
    scheme = parts.scheme or "http"
    environ = {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": parts.path or "/",
        "QUERY_STRING": parts.query,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": host,
        "SERVER_NAME": server_name,
        "SERVER_PORT": port or ("443" if scheme == "https" else "80"),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": "payment-simulator",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": scheme,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    handler = BaseHandler()
    handler.load_middleware()
    # No request_started/finished signals: they would close the database connection of the
    # request (or test) that is running the simulator.
    response = handler.get_response(WSGIRequest(environ))
    logger.info("Payment simulator notified %s: HTTP %s", parts.path, response.status_code)
    return response.status_code


def _default_host() -> str:
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc or "localhost"


def _with_query(url: str, extra: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = urlencode([*parse_qsl(parts.query, keep_blank_values=True), *extra.items()])
    return urlunsplit(parts._replace(query=query))
