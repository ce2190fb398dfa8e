"""The visitor's IP address, for the login lock-out and the sign-up throttle.

Behind reverse proxies REMOTE_ADDR is the nearest proxy's address, shared by every visitor.
Each proxy appends the address it received the request from to X-Forwarded-For, so with
REVERSE_PROXY_COUNT proxies the client is that many entries from the right; what stands
further left was written by the client and proves nothing. Without proxies configured the
header is ignored: anybody can send one.
"""

import ipaddress

from django.conf import settings

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


def client_ip(request) -> str | None:
    """The client's address as seen by the outermost of our proxies, else REMOTE_ADDR."""
    remote_addr = request.META.get("REMOTE_ADDR")
    proxy_count = getattr(settings, "REVERSE_PROXY_COUNT", 0)
    if proxy_count <= 0:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get(FORWARDED_FOR, "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        # Sent straight to the app server, past the proxies.
        return remote_addr
    # Fewer entries than proxies: every entry was still written by one of ours.
    candidate = forwarded[max(len(forwarded) - proxy_count, 0)]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr
