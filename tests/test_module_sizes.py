"""No module over 500 lines: a longer one holds more than one job (migrations, the demo's data
and the benchmarks aside)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 500
SKIPPED_PARTS = {"migrations", ".venv", "node_modules", "benchmarks", "demo", ".git"}


def project_modules():
    for path in ROOT.rglob("*.py"):
        if not SKIPPED_PARTS.intersection(path.relative_to(ROOT).parts):
            yield path


def test_no_module_is_over_500_lines():
    too_long = {
        str(path.relative_to(ROOT)): count
        for path in project_modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert not too_long, f"Split these modules (over {LIMIT} lines): {too_long}"


def test_the_walk_sees_the_project():
    # A walk that found nothing would pass the test above whatever the code.
    names = {str(path.relative_to(ROOT)) for path in project_modules()}
    assert "core/counters.py" in names
    assert "reservations/services/booking.py" in names
    assert not any(name.startswith("demo/") for name in names)
