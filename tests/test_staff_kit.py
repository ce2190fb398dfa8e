"""wagtail-modeladmin is imported in one folder only, the staff-screen kit (core/staff/):
every other module of the repository, tests included, builds its staff screens from the
kit, so moving to Wagtail's own viewsets later touches that folder alone."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
KIT = BASE_DIR / "core" / "staff"
FRAMEWORK = "wagtail_modeladmin"
IMPORTING_CALLS = {"import_module", "import_string", "__import__"}
# Not the project's code: installed packages, caches, tooling.
SKIPPED = {".venv", "node_modules", ".git", "__pycache__", "media", "staticfiles"}


def imports_framework(source: str) -> bool:
    """Whether `source` imports wagtail_modeladmin, wherever the import stands."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (
            isinstance(node, ast.Call)
            and (getattr(node.func, "attr", None) or getattr(node.func, "id", None))
            in IMPORTING_CALLS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        else:
            continue
        if any(name.split(".")[0] == FRAMEWORK for name in names):
            return True
    return False


def repository_modules():
    for path in sorted(BASE_DIR.rglob("*.py")):
        parts = path.relative_to(BASE_DIR).parts
        if SKIPPED.isdisjoint(parts) and not parts[0].startswith("."):
            yield path


def test_wagtail_modeladmin_is_imported_in_the_kit_only():
    outside = [
        str(path.relative_to(BASE_DIR))
        for path in repository_modules()
        if not path.is_relative_to(KIT) and imports_framework(path.read_text())
    ]

    assert outside == []


def test_the_kit_is_where_it_is_imported():
    assert any(imports_framework(path.read_text()) for path in KIT.rglob("*.py"))
    assert sum(1 for _ in repository_modules()) > 300


@pytest.mark.parametrize(
    "source",
    [
        "import wagtail_modeladmin\n",
        "from wagtail_modeladmin.options import ModelAdmin\n",
        "def f():\n    from wagtail_modeladmin import views\n",
        "import_module('wagtail_modeladmin.helpers')\n",
        "import os, wagtail_modeladmin.views as v\n",
    ],
)
def test_the_check_sees_every_way_of_importing(source):
    assert imports_framework(source)


def test_the_check_leaves_other_imports_alone():
    assert not imports_framework(
        "from core.staff import Queue\nINSTALLED = ['wagtail_modeladmin']\n"
    )
