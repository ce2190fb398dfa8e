"""Load generators for the benchmarks: wrk when installed, else a small threaded client;
and an open loop (`run_open_loop`): journeys started at a fixed arrival rate.

wrk and the fallback send a fixed number of concurrent keep-alive connections at one URL for
a fixed time and report requests per second and latency percentiles. wrk (C, one thread)
leaves nearly both cores to the server; the Python fallback competes with it for the CPU
and so reports lower absolute figures (the ratios between pages stay comparable).
"""

import http.client
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

INSTALL_HINT = "apt-get install -y wrk"

# wrk prints its own summary; this Lua hook adds the p95 it does not print by default.
_WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH p50_us=%d p95_us=%d requests=%d\\n",
    latency:percentile(50), latency:percentile(95), summary.requests))
end
"""


@dataclass
class LoadResult:
    requests_per_second: float
    p50_ms: float | None
    p95_ms: float | None
    requests: int
    errors: int


def wrk_path() -> str | None:
    return shutil.which("wrk")


def run_wrk(url: str, *, seconds: float, connections: int, headers: dict[str, str]) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_REPORT)
    command = [
        wrk_path(),
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "5s",
        "-s",
        script.name,
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    try:
        output = subprocess.run(
            [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30
        ).stdout
    finally:
        Path(script.name).unlink(missing_ok=True)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    report = re.search(r"BENCH p50_us=(\d+) p95_us=(\d+) requests=(\d+)", output)
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(value) for value in match.groups())
    return LoadResult(
        requests_per_second=rps,
        p50_ms=int(report.group(1)) / 1000,
        p95_ms=int(report.group(2)) / 1000,
        requests=int(report.group(3)),
        errors=errors,
    )


def run_python(
    url: str, *, seconds: float, connections: int, headers: dict[str, str]
) -> LoadResult:
    parts = urlsplit(url)
    path = parts.path or "/"
    deadline = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
                continue
            latencies[index].append(time.perf_counter() - started)
            if response.status >= 400:
                errors[index] += 1
            if response.will_close:  # e.g. gunicorn's sync workers: no keep-alive
                connection.close()
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    elapsed = time.perf_counter() - started
    samples = sorted(latency for per_thread in latencies for latency in per_thread)
    if len(samples) >= 2:
        cuts = statistics.quantiles(samples, n=100)
        p50, p95 = cuts[49] * 1000, cuts[94] * 1000
    else:
        p50 = p95 = None
    return LoadResult(
        requests_per_second=len(samples) / elapsed,
        p50_ms=p50,
        p95_ms=p95,
        requests=len(samples),
        errors=sum(errors),
    )


def run_load(
    url: str, *, seconds: float, connections: int, headers: dict[str, str], use_wrk: bool
) -> LoadResult:
    runner = run_wrk if use_wrk else run_python
    return runner(url, seconds=seconds, connections=connections, headers=headers)


# --- Open loop ---------------------------------------------------------------------------


@dataclass
class OpenLoopResult:
    elapsed: float  # from the first arrival to the last journey's end
    late: list[float]  # per arrival, how late its journey started, in seconds
    peak_in_flight: int


def run_open_loop(count: int, rate: float, journey, *, max_in_flight: int = 1000):
    """Arrivals at a fixed rate, whatever the server's pace: `journey(index)` starts at
    `index / rate` seconds in its own thread, so a slow answer makes journeys pile up
    instead of slowing the arrivals (a closed loop waits; real families do not).

    If `max_in_flight` journeys are running, the next one waits for one to end: its lateness
    says so (beyond a few ms, the client, not the server, set the pace)."""
    slots = threading.BoundedSemaphore(max_in_flight)
    lock = threading.Lock()
    in_flight = {"now": 0, "peak": 0}
    late = [0.0] * count
    threads = []

    def run(index: int) -> None:
        try:
            journey(index)
        finally:
            with lock:
                in_flight["now"] -= 1
            slots.release()

    started = time.perf_counter()
    for index in range(count):
        due = started + index / rate
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        slots.acquire()
        late[index] = max(0.0, time.perf_counter() - due)
        with lock:
            in_flight["now"] += 1
            in_flight["peak"] = max(in_flight["peak"], in_flight["now"])
        thread = threading.Thread(target=run, args=(index,), daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    return OpenLoopResult(time.perf_counter() - started, late, in_flight["peak"])
