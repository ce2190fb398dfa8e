"""What other apps do when staff accept an account request, in the same transaction.

The reservations app, above this one, registers the children's administrative files: the
family certified its information when signing up, so the file of the current school year is
validated with the account when staff validate its documents in the same step."""

from collections.abc import Callable

_accepted_handlers: list[Callable] = []


def register_signup_accepted(handler: Callable) -> None:
    """`handler(family=, children=, actor=, now=, validate=)`; `validate`: staff validate the
    documents and files in the same step."""
    if handler not in _accepted_handlers:
        _accepted_handlers.append(handler)


def signup_accepted_run(**kwargs) -> None:
    for handler in _accepted_handlers:
        handler(**kwargs)
