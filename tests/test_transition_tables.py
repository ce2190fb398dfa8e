"""Every state machine of the project is tested: each table registered in an app's
`choices.py` (`core.states.register_table`) is declared in the TRANSITION_COVERAGE of a
`test_transitions*.py` module, which names a test for each allowed move (or says why no
service makes it) and refuses every forbidden one (see tests/transitions.py)."""

import importlib
from pathlib import Path

from django.conf import settings

from core.states import forbidden_pairs, registered_tables
from tests.transitions import coverage_problems

TESTS = Path(settings.BASE_DIR) / "tests"


def coverage_modules():
    for path in sorted(TESTS.rglob("test_transitions*.py")):
        name = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        yield importlib.import_module(name)


def test_every_registered_table_has_its_transition_tests():
    declared, problems = {}, []
    for module in coverage_modules():
        for name, coverage in getattr(module, "TRANSITION_COVERAGE", {}).items():
            assert name not in declared, f"{name} declared twice"
            declared[name] = module.__name__
            problems += coverage_problems(name, coverage, vars(module))

    assert problems == []
    assert set(registered_tables()) - set(declared) == set()
    assert set(declared) - set(registered_tables()) == set()


def test_the_tables_of_every_app_are_registered():
    apps = {name.split(".")[0] for name in registered_tables()}

    assert {"reservations", "invoicing", "portal_features"} <= apps


def test_the_forbidden_pairs_are_what_the_table_leaves_out():
    table = {None: frozenset({"a"}), "a": frozenset({"b"}), "b": frozenset()}

    assert forbidden_pairs(table, ["a", "b"]) == [("a", "a"), ("b", "a"), ("b", "b")]
