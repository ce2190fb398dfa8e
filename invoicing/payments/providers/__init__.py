"""Online payment providers behind one interface (`base.Provider`).

`get_provider(name, options)` builds one: "payfip", "systempay" (or "payzen", the same
protocol on Lyra's other address) and "simulator" (options: `protocol` "payfip" or
"systempay"). Options not given come from the settings (PAYFIP_*, SYSTEMPAY_*); a régie's own
configuration will pass its options here.
"""

from collections.abc import Mapping
from typing import Any

import eopayment
from django.conf import settings

from .base import (
    CreatedPayment,
    ExpectedLookup,
    ExpectedPayment,
    Notification,
    NotificationKind,
    PaymentForm,
    PaymentMethod,
    PaymentRequestData,
    PaymentState,
    Provider,
    ProviderStatus,
)

__all__ = [
    "CreatedPayment",
    "ExpectedLookup",
    "ExpectedPayment",
    "Notification",
    "NotificationKind",
    "PaymentForm",
    "PaymentMethod",
    "PaymentRequestData",
    "PaymentState",
    "Provider",
    "ProviderStatus",
    "PROVIDER_NAMES",
    "get_provider",
]

PROVIDER_NAMES = ("payfip", "systempay", "payzen", "simulator")


def get_provider(name: str, options: Mapping[str, Any] | None = None) -> Provider:
    options = dict(options or {})
    if name == "payfip":
        from .payfip import PayFiPProvider

        return PayFiPProvider(
            numcli=options.get("numcli", settings.PAYFIP_NUMCLI),
            mode=options.get("mode", settings.PAYFIP_MODE),
            timeout=options.get("timeout"),
        )
    if name in ("systempay", "payzen"):
        from .systempay import SystempayProvider

        return SystempayProvider(
            site_id=options.get("site_id", settings.SYSTEMPAY_SITE_ID),
            key=options.get("key", settings.SYSTEMPAY_KEY),
            mode=options.get("mode", settings.SYSTEMPAY_MODE),
            service_url=options.get("service_url", settings.SYSTEMPAY_SERVICE_URL) or None,
            backend=eopayment.PAYZEN if name == "payzen" else eopayment.SYSTEMPAY,
        )
    if name == "simulator":
        from .simulator import simulator_provider

        return simulator_provider(options)
    raise ValueError(f"Unknown payment provider {name!r}; known: {', '.join(PROVIDER_NAMES)}.")
