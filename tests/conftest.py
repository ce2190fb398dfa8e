import shutil

import pytest
from django.conf import settings
from django.core.cache import cache
from wagtail.models import Site

from cms.models import HomePage


@pytest.fixture(autouse=True)
def _isolated_cache_and_media(settings, tmp_path):
    """Every test starts with an empty cache and writes its files to its own folders."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private-media", "base_url": None},
        },
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def database_tasks(settings, monkeypatch):
    """Tasks wait in the database queue, as in production; calling the fixture's value runs
    the worker (`manage.py db_worker --batch`) until the queue is empty."""
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # Between tasks the worker closes the connections it deems stale, the test's own
    # (inside its transaction) included on PostgreSQL.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--worker-id", "test-worker")

    return run


@pytest.fixture
def home_page(db) -> HomePage:
    """The HomePage created by the cms migration, root of the default site."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture(scope="session", autouse=True)
def _remove_test_media():
    yield
    shutil.rmtree(settings.BASE_DIR / ".test-media", ignore_errors=True)


def _flushes_without_restoring(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return marker.kwargs.get("transaction", False) and not marker.kwargs.get(
        "serialized_rollback", False
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Transactional tests without serialized rollback (the concurrency tests) run last.

    Their database flush runs post_migrate again, recreating groups and content types under
    new ids; a browser test restoring its serialized database after them would collide with
    those rows. Last in the list, they are also last on every xdist worker.
    """
    items.sort(key=_flushes_without_restoring)
