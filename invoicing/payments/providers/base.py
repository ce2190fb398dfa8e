"""What every payment provider takes and gives: plain frozen dataclasses and one interface.

The ledger feeds a `PaymentRequestData` to `Provider.create`, sends the family to the
`CreatedPayment`'s address (or form), then learns the outcome in one of two ways:

- the provider calls the notification URL: `parse_notification` checks it and names the
  payment. A PayFiP notification is only a trigger (`NotificationKind.TRIGGER`): whatever it
  says, the truth is what `fetch_status` answers. A Systempay notification is signed and
  checked (`NotificationKind.RESULT`): it carries its `ProviderStatus`;
- a reconciliation job asks `fetch_status` for the attempts that stayed pending (only where
  `can_fetch_status`).

A notification that fails a check raises `ProviderRefused`: the view answers HTTP 400 and
nothing changes. Field rules are checked in `create` before any call to the provider
(`PaymentRequestInvalid`).
"""

from __future__ import annotations

import abc
import datetime
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from django.http import HttpRequest


class PaymentState(enum.StrEnum):
    """An attempt's state as the provider sees it."""

    PAID = "paid"
    REFUSED = "refused"
    ABANDONED = "abandoned"
    PENDING = "pending"  # still running at the provider: ask again later
    EXPIRED = "expired"  # never paid, and can no longer be
    UNKNOWN = "unknown"  # the provider answered something we do not know


class PaymentMethod(enum.StrEnum):
    CARD = "card"
    DIRECT_DEBIT = "direct_debit"  # PayFiP's one-off debit ("V")
    UNKNOWN = ""


class NotificationKind(enum.StrEnum):
    TRIGGER = "trigger"  # names the payment only: call fetch_status for the truth
    RESULT = "result"  # signed and checked: carries the status


@dataclass(frozen=True)
class PaymentRequestData:
    """One online payment to open: `reference` is the payment request's number (PayFiP's
    `refdet` is derived from it), `amount` in euros, `subject` a short free text."""

    reference: str
    amount: Decimal
    email: str
    subject: str
    return_url: str  # where the family's browser comes back
    notify_url: str  # where the provider posts its server-to-server notification
    year: int | None = None  # PayFiP's `exer`; the current year in Paris by default


@dataclass(frozen=True)
class PaymentForm:
    """A form the family's browser posts to the provider (Systempay)."""

    url: str
    method: str
    fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class CreatedPayment:
    """An opened payment: keep `provider_ref` on the attempt (unique), then send the browser
    to `redirect_url` or make it post `form`. `sent` holds what was sent, for the record."""

    provider_ref: str
    redirect_url: str | None = None
    form: PaymentForm | None = None
    sent: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderStatus:
    state: PaymentState
    amount: Decimal | None = None
    paid_at: datetime.datetime | None = None  # aware
    transaction_id: str = ""  # the provider's authorisation or transaction number
    method: PaymentMethod = PaymentMethod.UNKNOWN
    test: bool = False  # a test-mode payment: never money
    raw: Mapping[str, str] = field(default_factory=dict)  # what the provider said, to keep


@dataclass(frozen=True)
class Notification:
    provider_ref: str
    kind: NotificationKind
    status: ProviderStatus | None = None  # set when kind is RESULT
    raw: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ExpectedPayment:
    """What we stored for an attempt, that a signed notification must match."""

    amount: Decimal
    currency: str = "EUR"


# Either what we expect, or a function that looks it up from the provider reference (None
# when the reference is not ours).
ExpectedLookup = ExpectedPayment | Callable[[str], ExpectedPayment | None]


class Provider(abc.ABC):
    """One online payment provider, configured for one régie."""

    name: ClassVar[str]
    # fetch_status works (PayFiP: always; Systempay: not through eopayment).
    can_fetch_status: ClassVar[bool]
    # A notification that passed parse_notification can be believed as it is (signed).
    notification_is_trusted: ClassVar[bool]

    @abc.abstractmethod
    def create(
        self, request_data: PaymentRequestData, *, now: datetime.datetime | None = None
    ) -> CreatedPayment:
        """Check the fields, open the payment at the provider and say where to send the family.
        Raises PaymentRequestInvalid (nothing sent) or ProviderError."""

    @abc.abstractmethod
    def parse_notification(
        self, request: HttpRequest, *, expected: ExpectedLookup | None = None
    ) -> Notification:
        """Read the provider's server-to-server notification. Raises ProviderRefused."""

    @abc.abstractmethod
    def parse_return(self, request: HttpRequest) -> str | None:
        """The provider reference named by the browser's return, if any. Never trusted: it
        only says which attempt to look at."""

    def parse_signed_return(
        self, request: HttpRequest, *, expected: ExpectedLookup | None = None
    ) -> Notification | None:
        """The outcome the browser's return carries, when the provider signed it and it passes
        the same checks as a notification; None otherwise (nothing to believe: the view
        asks the provider, or shows the attempt as it stands)."""
        return None

    def fetch_status(
        self,
        provider_ref: str,
        *,
        created_at: datetime.datetime | None = None,
        now: datetime.datetime | None = None,
    ) -> ProviderStatus:
        """Ask the provider where the payment stands. `created_at` (when the attempt was
        opened) tells a payment still in progress from one that expired."""
        raise NotImplementedError(f"{self.name} cannot fetch a payment's status.")


def expected_for(expected: ExpectedLookup | None, provider_ref: str) -> ExpectedPayment | None:
    if expected is None or isinstance(expected, ExpectedPayment):
        return expected
    return expected(provider_ref)
