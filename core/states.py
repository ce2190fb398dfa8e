"""One way to move a row from one status to another: `transition()`.

Every state machine of the house is a table in its app's `choices.py`, read the same way:
`{from: frozenset(allowed destinations)}`, `None` standing for a row being created.
`transition()` checks the move against the table (a forbidden move raises the app's error,
with a French message naming both statuses), sets the status and, for a decision, who
decided, when and why (`DecidedModel`'s `decided_at`, `decided_by`, `refusal_reason`, where
the model has them), saves exactly those fields, then writes the history row through the
app's `history` callable (history models differ from app to app).

    transition(run, RunStatus.FINALIZED, table=RUN_TRANSITIONS, error=InvoicingError)

A service module that moves one table's rows binds the table, its error and its message
once (`Moves`), then checks before the work, decides, or moves:

    MOVES = Moves(DOCUMENT_TRANSITIONS, PortalError, ALREADY_PROCESSED)
    MOVES.check(document, DocumentStatus.REFUSED)
    MOVES.decide(document, DocumentStatus.REFUSED, actor=actor, reason=reason, now=now)

Tables are declared and registered by name with `state_table()` (what each status may become;
a status reached but never left is final), so that one test checks that every table has a
test for each allowed move and refuses every forbidden one:

    MANDATE_TRANSITIONS = state_table(
        "invoicing.mandate",
        MandateStatus,
        {None: {M.REQUESTED}, M.REQUESTED: {M.ACTIVE, M.REFUSED}, M.ACTIVE: {M.LAPSED}},
    )
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .actors import user_or_none
from .errors import DomainError

Table = Mapping[str | None, frozenset[str]]

DEFAULT_MESSAGE = _("This is “%(status)s”: it cannot become “%(target)s”.")
DECISION_FIELDS = ("decided_at", "decided_by", "refusal_reason")


@dataclass(frozen=True)
class StateMachine:
    """A registered table: its name ("app.thing"), the moves, and every status."""

    name: str
    table: Table
    statuses: tuple[str, ...]

    def allowed(self) -> set[tuple[str | None, str]]:
        return allowed_pairs(self.table)

    def forbidden(self) -> list[tuple[str, str]]:
        return forbidden_pairs(self.table, self.statuses)


_MACHINES: dict[str, StateMachine] = {}


def register_table(name: str, table: Table, statuses: Iterable[str]) -> Table:
    """Declare a state machine (in its app's `choices.py`); returns the table unchanged."""
    statuses = tuple(str(status) for status in statuses)
    unknown = {status for status in _statuses_named(table) if status not in statuses}
    if unknown:
        raise ValueError(f"Table {name!r} names statuses it does not declare: {sorted(unknown)}")
    _MACHINES[name] = StateMachine(name=name, table=table, statuses=statuses)
    return table


def state_table(name: str, statuses, moves: Mapping[str | None, Iterable[str]]) -> Table:
    """Declare and register the state machine `name` ("app.thing") in one go. `statuses`: a
    `TextChoices` class or the values the table allows; `moves`: each status's allowed
    destinations, `None` for a row being created. A status the table leads to but never
    names as an origin is final (no move out). Returns the table, `{from: frozenset(to)}`."""
    table = {origin: frozenset(targets) for origin, targets in moves.items()}
    for targets in list(table.values()):
        for status in targets:
            table.setdefault(status, frozenset())
    return register_table(name, table, getattr(statuses, "values", statuses))


def registered_tables() -> dict[str, StateMachine]:
    return dict(_MACHINES)


def is_allowed(table: Table, from_status: str | None, to_status: str) -> bool:
    """Whether `table` lets a row move from `from_status` (None: created) to `to_status`."""
    return to_status in table.get(from_status or None, frozenset())


def allowed_pairs(table: Table) -> set[tuple[str | None, str]]:
    return {(origin, target) for origin, targets in table.items() for target in targets}


def forbidden_pairs(table: Table, statuses: Iterable[str]) -> list[tuple[str, str]]:
    """Every move out of an existing status that the table does not allow, sorted."""
    return sorted(
        (origin, target)
        for origin, targets in table.items()
        if origin is not None
        for target in statuses
        if target not in targets
    )


def transition(
    obj,
    to: str,
    *,
    table: Table,
    actor=None,
    reason: str | None = None,
    now=None,
    decided: bool = False,
    also: Iterable[str] = (),
    save: bool = True,
    history: Callable[[Any, str | None, str], Any] | None = None,
    error: type[DomainError] = DomainError,
    message=None,
) -> Any:
    """Move `obj` (locked by the caller) to status `to`, or raise `error`.

    - `decided`: a decision: `decided_at = now`, `decided_by = actor` (none for an anonymous
      actor) and, when `reason` is given, `refusal_reason = reason` (fields the model has).
    - `also`: other fields the caller set for this move, saved with the status.
    - `save=False`: the caller saves (a whole run's documents in one UPDATE).
    - `history(obj, from_status, to)`: writes the history row once saved; its result is
      returned.
    - `message`: the error's text, with `%(status)s` and `%(target)s` (the statuses' labels).

    A row not yet saved is created (`from_status` is then None)."""
    from_status = transition_check(obj, to, table=table, error=error, message=message)
    obj.status = to
    fields = ["status", *also]
    if decided:
        names = _field_names(obj)
        if "decided_at" in names:
            obj.decided_at = now
            fields.append("decided_at")
        if "decided_by" in names:
            obj.decided_by = user_or_none(actor)
            fields.append("decided_by")
        if reason is not None and "refusal_reason" in names:
            obj.refusal_reason = reason
            fields.append("refusal_reason")
    if save:
        if obj.pk is None:
            obj.save()
        else:
            obj.save(update_fields=list(dict.fromkeys(fields)))
    if history is not None:
        return history(obj, from_status, to)
    return None


def transition_check(
    obj, to: str, *, table: Table, error: type[DomainError] = DomainError, message=None
) -> str | None:
    """Raise `error` unless `obj` may move to `to`; returns its current status (None: not
    saved yet). For a service that checks before doing the work the move stands for, then
    calls `transition()`."""
    from_status = (obj.status or None) if obj.pk is not None else None
    if not is_allowed(table, from_status, to):
        labels = _labels(obj)
        raise error(
            (message or DEFAULT_MESSAGE)
            % {
                "status": labels.get(from_status, from_status) if from_status else "—",
                "target": labels.get(to, to),
            }
        )
    return from_status


@dataclass(frozen=True)
class Moves:
    """One table bound with the error and message of the app that moves its rows."""

    table: Table
    error: type[DomainError] = DomainError
    message: Any = None

    def check(self, obj, to: str) -> str | None:
        """`transition_check()`: before the work the move stands for."""
        return transition_check(obj, to, table=self.table, error=self.error, message=self.message)

    def move(self, obj, to: str, **options) -> Any:
        """`transition()` with this table (options: `also`, `history`, `save`…)."""
        return transition(
            obj, to, table=self.table, error=self.error, message=self.message, **options
        )

    def decide(self, obj, to: str, *, actor, now, reason: str | None = None, also=()) -> Any:
        """A decision: the move, with who decided, when and why."""
        return self.move(obj, to, actor=actor, now=now, reason=reason, also=also, decided=True)


def _field_names(obj) -> set[str]:
    return {field.name for field in obj._meta.concrete_fields}


def _labels(obj) -> dict:
    return {str(value): label for value, label in obj._meta.get_field("status").flatchoices}


def _statuses_named(table: Table) -> set[str]:
    named = {origin for origin in table if origin is not None}
    for targets in table.values():
        named |= set(targets)
    return {str(status) for status in named}
