"""Sessions come from the shared cache when there is one (every logged-in request reads its
session), never from a per-process cache, which would keep a session another process ended."""

import runpy
from pathlib import Path

from django.conf import settings

BASE_SETTINGS = Path(settings.BASE_DIR) / "cms" / "settings" / "base.py"


def settings_with(monkeypatch, **environ) -> dict:
    monkeypatch.delenv("REDIS_URL", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_SETTINGS))


def test_with_redis_sessions_are_cached_and_written_through(monkeypatch):
    values = settings_with(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0")

    assert values["CACHES"]["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_without_a_shared_cache_sessions_stay_in_the_database(monkeypatch):
    values = settings_with(monkeypatch)

    assert values["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert values.get("SESSION_ENGINE", "django.contrib.sessions.backends.db") == (
        "django.contrib.sessions.backends.db"
    )
