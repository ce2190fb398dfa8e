"""The kernel is the ground floor: it imports no app of ours, not even inside a function."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

OUR_APPS = {"cms", "news", "documents_library", "portal_features", "reservations", "invoicing"}
CORE = Path(settings.BASE_DIR) / "core"


def _imported_roots(source: str) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            # importlib.import_module("cms.models") would hide the same dependency.
            roots.add(str(node.args[0].value).split(".")[0])
    return roots


@pytest.mark.parametrize(
    "path", sorted(CORE.rglob("*.py")), ids=lambda path: str(path.relative_to(CORE))
)
def test_core_imports_no_app_of_ours(path):
    assert not _imported_roots(path.read_text()) & OUR_APPS


def test_the_check_sees_an_import_hidden_in_a_function():
    source = "def f():\n    from cms.models import CommuneSettings\n"
    assert _imported_roots(source) & OUR_APPS == {"cms"}
