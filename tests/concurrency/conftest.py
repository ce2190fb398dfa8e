"""The tests of this folder take turns across xdist workers.

PostgreSQL allows 100 connections, and a race here opens one per thread (64): two of them
running at once on two workers would be refused connections and fail at random.
"""

import fcntl
import tempfile
from pathlib import Path

import pytest

LOCK_FILE = Path(tempfile.gettempdir()) / "portail-famille-concurrency-tests.lock"


@pytest.fixture(autouse=True)
def _one_race_at_a_time():
    with LOCK_FILE.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
