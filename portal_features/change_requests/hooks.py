"""What other apps add to a new child's request (« Ajouter un enfant »), in the same
transaction as staff's acceptance, the way they do for an account request (signup/hooks.py).

The reservations app, above this one, registers the child's administrative files: what the
family may send with the request (the school years open to enrolment), and, once the child
exists, the files sent and, when staff validate its documents in the same step, validated."""

from collections.abc import Callable

_files_providers: list[Callable] = []
_accepted_handlers: list[Callable] = []


def register_new_child(*, files: Callable, accepted: Callable) -> None:
    """`files(today)`: the labels of the files the family may send with a new child (empty:
    none); `accepted(family=, child=, user=, actor=, now=, certified=, validate=)`: the child
    is created or linked; `user` sent the request, `certified` it certified the family file,
    `validate` staff validate the documents and files in the same step."""
    if files not in _files_providers:
        _files_providers.append(files)
    if accepted not in _accepted_handlers:
        _accepted_handlers.append(accepted)


def new_child_files(today) -> list[str]:
    return [label for provider in _files_providers for label in provider(today)]


def new_child_accepted_run(**kwargs) -> None:
    for handler in _accepted_handlers:
        handler(**kwargs)
