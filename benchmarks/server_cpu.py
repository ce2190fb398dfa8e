"""Server CPU per request, measured inside gunicorn's workers: a config file for `gunicorn -c`.

`pre_request` notes the CPU clock of the thread that handles the request (`time.thread_time`:
that thread only, so neither the worker's other threads nor the waits on the GIL, PostgreSQL
or Redis are counted); `post_request`, called by the same thread once the answer is written,
appends `<method> <path> <CPU µs>` to one file per worker in `$BENCH_CPU_DIR`. What is counted:
the whole WSGI application (every middleware, the view, the template) and gunicorn's writing
of the answer; not gunicorn's reading and parsing of the request, which the /proc totals of the
worker processes include (the benchmark prints both).

The benchmark reads what each phase added with `read_offsets` before and `read_since` after.
"""

import os
import threading
import time
from pathlib import Path

_local = threading.local()
_lock = threading.Lock()
_file = None


def _output():
    global _file
    if _file is None:
        folder = Path(os.environ["BENCH_CPU_DIR"])
        _file = (folder / f"cpu-{os.getpid()}.log").open("a", buffering=1)  # line-buffered
    return _file


def pre_request(worker, req):
    _local.started = time.thread_time_ns()


def post_request(worker, req, environ, resp):
    started, _local.started = getattr(_local, "started", None), None
    if started is None:
        return
    used_us = (time.thread_time_ns() - started) // 1000
    with _lock:
        _output().write(f"{req.method} {req.path} {used_us}\n")


# --- Read by the benchmark ---------------------------------------------------------------


def read_offsets(folder: Path) -> dict[Path, int]:
    return {path: path.stat().st_size for path in folder.glob("cpu-*.log")}


def read_since(folder: Path, offsets: dict[Path, int]) -> list[tuple[str, str, int]]:
    """(method, path, CPU µs) of each request answered since `offsets` were read."""
    time.sleep(0.3)  # post_request runs once the client has its answer
    rows = []
    for path in folder.glob("cpu-*.log"):
        with path.open("rb") as file:
            file.seek(offsets.get(path, 0))
            for line in file.read().decode().splitlines():
                method, address, used = line.rsplit(" ", 2)
                rows.append((method, address, int(used)))
    return rows
