"""The demo's SQLite: two transactions that read then write at the same moment (two
submissions of the basket) queue for the write lock instead of one failing with « database
is locked » (an HTTP 500). The test suite's in-memory database locks tables, not the file,
so this runs on a file, as the demo does; the control shows the failure without the option."""

import sqlite3
import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction

ALIAS = "sqlite_lock_check"


def run_two_read_then_write(path, options) -> tuple[list[str], int]:
    """The first transaction reads, lets the second start, then writes; the second reads and
    writes at once. Returns each one's outcome and the count both meant to raise to 2."""
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": options}
    connections.settings[ALIAS] = connections.configure_settings(
        {"default": dict(database), ALIAS: database}
    )[ALIAS]
    with sqlite3.connect(path) as setup:
        setup.execute("CREATE TABLE basket (n INTEGER)")
        setup.execute("INSERT INTO basket VALUES (0)")
    first_has_read = threading.Event()
    outcomes = []

    def submit(*, first):
        connection = connections[ALIAS]
        try:
            if not first:
                first_has_read.wait(timeout=10)
            with transaction.atomic(using=ALIAS), connection.cursor() as cursor:
                cursor.execute("SELECT n FROM basket")
                cursor.fetchall()
                if first:
                    first_has_read.set()
                    time.sleep(0.5)
                cursor.execute("UPDATE basket SET n = n + 1")
            outcomes.append("ok")
        except OperationalError as error:
            outcomes.append(str(error))
        finally:
            first_has_read.set()
            connection.close()

    threads = [threading.Thread(target=submit, kwargs={"first": i == 0}) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    del connections.settings[ALIAS]
    with sqlite3.connect(path) as check:
        count = check.execute("SELECT n FROM basket").fetchone()[0]
    return sorted(outcomes), count


@pytest.fixture
def unblocked(django_db_blocker):
    with django_db_blocker.unblock():
        yield


def test_concurrent_writers_queue_on_the_demo_settings(tmp_path, unblocked):
    outcomes, count = run_two_read_then_write(tmp_path / "demo.sqlite3", settings.SQLITE_OPTIONS)

    assert (outcomes, count) == (["ok", "ok"], 2)


def test_control_without_the_option_one_writer_fails_with_database_is_locked(tmp_path, unblocked):
    outcomes, count = run_two_read_then_write(tmp_path / "demo.sqlite3", {"timeout": 20})

    assert outcomes == ["database is locked", "ok"]
    assert count == 1


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the option concerns SQLite only",
)
def test_the_sqlite_database_takes_the_write_lock_at_begin():
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
