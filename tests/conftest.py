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
def home_page(db) -> HomePage:
    """The HomePage created by the cms migration, root of the default site."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture(scope="session", autouse=True)
def _remove_test_media():
    yield
    shutil.rmtree(settings.BASE_DIR / ".test-media", ignore_errors=True)
