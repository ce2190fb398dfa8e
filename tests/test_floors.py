"""The apps stand on floors: each imports only from the floors below it, never sideways or
up, not even inside a function or through a dotted string handed to import_string.

The root URLconf and the settings name the apps by dotted strings (`include(...)`,
INSTALLED_APPS): that is wiring, not an import, and is not looked at here.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

FLOORS = {
    "core": 0,
    "cms": 1,
    "news": 2,
    "documents_library": 2,
    "portal_features": 2,
    "reservations": 3,
    "invoicing": 4,
    "demo": 5,
}
BASE_DIR = Path(settings.BASE_DIR)
# Where the project is put together (settings, root URLconf): wiring by dotted strings.
WIRING = ("cms/settings/", "cms/urls.py", "cms/wsgi.py")
IMPORTING_CALLS = {"import_module", "import_string"}


def imported_apps(source: str) -> set[str]:
    """Our apps that `source` imports, wherever the import stands."""
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and (getattr(node.func, "attr", None) or getattr(node.func, "id", None))
            in IMPORTING_CALLS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            roots.add(node.args[0].value.split(".")[0])
        elif isinstance(node, ast.List | ast.Tuple):
            # A list of dotted paths handed later to import_string (providers, backends…).
            for element in node.elts:
                if isinstance(element, ast.Constant) and isinstance(element.value, str):
                    roots |= _dotted_callable_root(element.value)
    return roots & FLOORS.keys()


def _dotted_callable_root(text: str) -> set[str]:
    """ "reservations.attention.attention_items" names code to import; "news.NewsPage" (a model
    label) or "reservations:home" (a URL name) do not."""
    parts = text.split(".")
    if len(parts) >= 3 and all(part.isidentifier() for part in parts):
        return {parts[0]}
    return set()


def _modules():
    for app in FLOORS:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            name = str(path.relative_to(BASE_DIR))
            if not name.startswith(WIRING):
                yield pytest.param(app, path, id=name)


@pytest.mark.parametrize(("app", "path"), list(_modules()))
def test_an_app_imports_only_from_the_floors_below(app, path):
    imported = imported_apps(path.read_text()) - {app}

    above_or_beside = {other for other in imported if FLOORS[other] >= FLOORS[app]}

    assert above_or_beside == set()


def test_the_check_sees_every_way_of_importing():
    source = (
        "def f():\n"
        "    from news.models import NewsPage\n"
        "    import documents_library.models\n"
        "    import_string('reservations.attention.attention_items')\n"
        "PROVIDERS = ['invoicing.providers.payfip']\n"
        "WIRING = ['portal_features.PortalPage', 'reservations:home']\n"
    )

    assert imported_apps(source) == {"news", "documents_library", "reservations", "invoicing"}
