"""The errors of the payment layer; every `message` is translated, ready to show."""

from core.errors import DomainError


class PaymentError(DomainError):
    """A payment operation that could not be done."""


class PaymentRequestInvalid(PaymentError):
    """A payment request breaks a provider's field rule (`field` names it). Raised before any
    call to the provider, so nothing was sent."""

    def __init__(self, message, *, field: str):
        super().__init__(message)
        self.field = field


class ProviderRefused(PaymentError):
    """A notification we refuse: answered with HTTP 400, logged, and nothing changes.

    `reason` is a stable code for logs and tests: `bad_signature`, `amount_mismatch`,
    `currency_mismatch`, `mode_mismatch`, `unknown_payment`, `malformed`.
    """

    def __init__(self, message, *, reason: str):
        super().__init__(message)
        self.reason = reason


class ProviderError(PaymentError):
    """The provider did not answer, refused to open the payment, or answered with an error
    we cannot read as a state (network failure, time-out, an unexpected SOAP fault). `code`
    is the provider's error code when it gave one (PayFiP: T1, M3, R3…)."""

    def __init__(self, message, *, code: str = ""):
        super().__init__(message)
        self.code = code
