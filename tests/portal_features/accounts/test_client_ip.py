"""The client's address behind zero, one or two reverse proxies."""

import pytest
from django.test import RequestFactory

from core.client_ip import client_ip


def request(forwarded_for=None, remote_addr="10.0.0.2"):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("proxy_count", "forwarded_for", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.2"),
        (1, None, "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "192.0.2.1, 203.0.113.7", "203.0.113.7"),
        (2, "192.0.2.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),
        (1, "2001:db8::7", "2001:db8::7"),
        (1, "192.0.2.1, not-an-address", "10.0.0.2"),
    ],
)
def test_client_ip(settings, proxy_count, forwarded_for, expected):
    settings.REVERSE_PROXY_COUNT = proxy_count

    assert client_ip(request(forwarded_for)) == expected
