"""Building the demo mails nobody and logs little."""

import logging
from contextlib import contextmanager

from django.db import transaction


@contextmanager
def alerts_without_emails():
    """The demo's alerts are stored for families to read; the e-mail copies the services
    send once the transaction commits are dropped, so building the demo mails nobody."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("Build the demo's reservations inside a transaction.")
    before = len(connection.run_on_commit)
    try:
        yield
    finally:
        del connection.run_on_commit[before:]


@contextmanager
def quiet_booking_logs():
    """Each submitted basket logs a line: the demo's dozens would drown seed_demo's output."""
    logger = logging.getLogger("reservations")
    previous = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(previous)
