"""No service builds a portal address: an alert stores a view name and its arguments
(`portal_features.models.Link`), resolved when it is shown or e-mailed. So the domain does
not depend on where editors put the portal page, and links never go stale.

Every service module (`services.py`, the modules of a `services/` package, and invoicing's
`notify.py`) is read: none imports the portal's URL helpers, under any name or inside a
function. (Staff screens' and accounts' addresses, outside the portal, are not looked at.)"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
APPS = ("core", "cms", "news", "documents_library", "portal_features", "reservations", "invoicing")
URL_HELPERS = {"portal_absolute_url", "portal_reverse", "portal_path", "portal_page_for"}
URL_MODULES = {"portal_features.portal.urls"}


def service_modules() -> list[Path]:
    modules = []
    for app in APPS:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            relative = path.relative_to(BASE_DIR)
            if "migrations" in relative.parts:
                continue
            if path.name == "services.py" or "services" in relative.parts[:-1]:
                modules.append(path)
    notify = BASE_DIR / "invoicing" / "notify.py"
    if notify.exists():
        modules.append(notify)
    return modules


def _absolute(module: str | None, level: int, package: list[str]) -> str:
    """The dotted name a relative import made in `package` points to."""
    if not level:
        return module or ""
    base = package[: len(package) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def url_helpers_imported(source: str, package: str) -> set[str]:
    """The portal URL helpers that `source`, a module of `package`, imports."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            module = _absolute(node.module, node.level, package.split("."))
            names = {alias.name for alias in node.names}
            if module in URL_MODULES or module.endswith(".portal.urls"):
                found |= {f"{module}.{name}" for name in names}
            elif names & URL_HELPERS:
                found |= {f"{module}.{name}" for name in names & URL_HELPERS}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in URL_MODULES}
    return found


def test_the_scan_finds_the_service_modules():
    names = {str(path.relative_to(BASE_DIR)) for path in service_modules()}

    assert "portal_features/documents/services.py" in names
    assert "reservations/services/booking.py" in names
    assert "invoicing/services/runs.py" in names


def test_the_scan_sees_every_way_of_importing_a_helper():
    lazy = "def f():\n    from ..portal.urls import portal_absolute_url as u\n"
    absolute = "from portal_features.portal.urls import portal_path\n"
    whole = "import portal_features.portal.urls\n"

    assert url_helpers_imported(lazy, "portal_features.documents") == {
        "portal_features.portal.urls.portal_absolute_url"
    }
    assert url_helpers_imported(absolute, "reservations.services") == {
        "portal_features.portal.urls.portal_path"
    }
    assert url_helpers_imported(whole, "invoicing") == {"portal_features.portal.urls"}


@pytest.mark.parametrize(
    "path", service_modules(), ids=lambda path: str(path.relative_to(BASE_DIR))
)
def test_no_service_module_imports_a_url_helper(path):
    package = ".".join(path.relative_to(BASE_DIR).parts[:-1])
    assert url_helpers_imported(path.read_text(), package) == set()
