"""Limits on "Nouveau dossier": each valid submission e-mails the address typed, from the
commune's address, to somebody who has proven nothing.

Counted per e-mail address and per client address in the shared cache (Redis in production),
in fixed windows of SIGNUP_LIMIT_WINDOW_MINUTES. A limit of 0 turns that count off.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache

KEY_PREFIX = "signup-limit"


def signup_allowed(*, email: str, ip: str | None) -> bool:
    """Count one submission; False once the address or the client is over its limit."""
    counts = [
        ("email", _mailbox(email), settings.SIGNUP_LIMIT_PER_EMAIL),
        ("ip", _network(ip), settings.SIGNUP_LIMIT_PER_IP),
    ]
    allowed = True
    for kind, value, limit in counts:
        if limit > 0 and value:
            allowed = _hit(f"{KEY_PREFIX}:{kind}:{_digest(value)}") <= limit and allowed
    return allowed


def window_minutes() -> int:
    return settings.SIGNUP_LIMIT_WINDOW_MINUTES


def _hit(key: str) -> int:
    window = window_minutes() * 60
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        # Atomic in Redis; keeps the key's expiry, so the window does not slide.
        return cache.incr(key)
    except ValueError:
        # The key expired between the two calls: a new window starts.
        cache.add(key, 1, timeout=window)
        return 1


def _mailbox(email: str) -> str:
    """Sub-addresses ("lea+1@x.fr", "lea+2@x.fr") reach one mailbox and share its count."""
    local, _at, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if local else ""


def _network(ip: str | None) -> str:
    """An IPv6 client holds a whole /64: its addresses share one count."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return ""
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _digest(value: str) -> str:
    # Addresses stay out of the cache's keys.
    return hashlib.sha256(value.encode()).hexdigest()
