"""The transition-coverage check every state machine's tests share.

Each table is registered in its app's `choices.py` (`core.states.register_table`). A test
module that drives a table declares, in `TRANSITION_COVERAGE`, which test makes each
allowed move through the real service (or why no service makes it yet), and parametrises a
"refused" test over `forbidden(name)`. `tests/test_transition_tables.py` then checks that
every registered table is declared somewhere, so a new status or move fails a test until it
has its own.
"""

from dataclasses import dataclass, field

from core.states import registered_tables


@dataclass(frozen=True)
class Coverage:
    """`covered`: {(from, to): "name of the test that makes the move" (several joined by
    " / ")}; `without_service`: moves the table allows that no service makes yet."""

    covered: dict
    without_service: frozenset = field(default_factory=frozenset)


def forbidden(name: str) -> list[tuple[str, str]]:
    """Every move out of an existing status that table `name` refuses, sorted."""
    return registered_tables()[name].forbidden()


def pair_ids(pairs) -> list[str]:
    return [f"{origin or 'new'}->{target}" for origin, target in pairs]


def coverage_problems(name: str, coverage: Coverage, module_globals: dict) -> list[str]:
    """What is wrong with the coverage of table `name` declared in a test module."""
    problems = []
    allowed = registered_tables()[name].allowed()
    declared = set(coverage.covered) | set(coverage.without_service)
    for pair in sorted(allowed - declared, key=str):
        problems.append(f"{name}: the move {pair} has no test")
    for pair in sorted(declared - allowed, key=str):
        problems.append(f"{name}: {pair} is declared but the table does not allow it")
    for pair, tests in coverage.covered.items():
        for test in tests.split(" / "):
            if not callable(module_globals.get(test.strip())):
                problems.append(f"{name}: {pair} names {test!r}, which is not a test here")
    return problems


def assert_covered(module_globals: dict) -> None:
    """Check every table the module's TRANSITION_COVERAGE declares."""
    problems = []
    for name, coverage in module_globals["TRANSITION_COVERAGE"].items():
        problems += coverage_problems(name, coverage, module_globals)
    assert problems == []
