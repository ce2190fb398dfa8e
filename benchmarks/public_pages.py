"""Throughput of the public pages under production settings, against a hello-world baseline.

    .venv/bin/python benchmarks/public_pages.py [--seconds 10] [--connections 8]
                                                [--worker-class gthread|sync]

Creates a throw-away PostgreSQL database, migrates it and loads the demo content with the
production settings, serves it with gunicorn, measures /healthz, cached and uncached pages
with wrk (or a Python fallback), counts the queries of each uncached page, prints a table
and removes everything it created, even on error. See benchmarks/README.md.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from contextlib import ExitStack, closing
from pathlib import Path

import psycopg
import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import INSTALL_HINT, run_load, wrk_path  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
PYTHON = REPO_ROOT / ".venv" / "bin" / "python"
GUNICORN = REPO_ROOT / ".venv" / "bin" / "gunicorn"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
HOST = "127.0.0.1"
# A session cookie makes the page cache step aside: the page is rendered for every request.
UNCACHED_HEADERS = {"Cookie": "sessionid=bench"}

CACHED_TARGET = 0.50  # cached page: at least half of hello-world throughput
MAX_QUERIES = 8  # uncached page: at most this many SQL queries


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def create_database(name: str) -> None:
    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=REPO_ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def prepare(env: dict) -> str:
    """Migrate and collect static files in parallel, then load content; returns its source."""
    collect = subprocess.Popen(
        [PYTHON, "manage.py", "collectstatic", "--noinput"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        manage(env, "migrate", "--noinput")
    finally:
        if collect.wait(timeout=300) != 0:
            raise RuntimeError("collectstatic failed")
    manage(env, "seed_demo")
    return "manage.py seed_demo"


def query_counts(env: dict) -> list[dict]:
    output = subprocess.run(
        [PYTHON, "benchmarks/query_counts.py", HOST],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(output)


def start_gunicorn(
    env: dict, port: int, worker_class: str, log_path: Path, stack: ExitStack, *extra: str
) -> None:
    command = [GUNICORN, "cms.wsgi", "-w", "2", "--bind", f"{HOST}:{port}", *extra]
    if worker_class == "gthread":
        command += ["-k", "gthread", "--threads", "4"]
    log_file = stack.enter_context(log_path.open("w"))
    server = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stderr=log_file)

    def stop() -> None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()

    stack.callback(stop)
    # Two workers importing Django and Wagtail take a few seconds, more on a busy machine.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log_file.flush()
            raise RuntimeError(f"gunicorn exited at start-up:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    log_file.flush()
    raise RuntimeError(f"/healthz did not answer within 90 s:\n{log_path.read_text()[-3000:]}")


def probe(url: str, headers: dict) -> tuple[int, str]:
    """Status and X-Page-Cache header of one request, to check each scenario is what it says."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return response.status, response.headers.get("X-Page-Cache", "-")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Page-Cache", "-")


def short(path: str, width: int = 34) -> str:
    return path if len(path) <= width else path[: width - 1] + "…"


def format_ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def run(args) -> int:
    use_wrk = wrk_path() is not None and not args.python_loadgen
    generator = (
        "wrk" if use_wrk else f"Python threads (install wrk for lighter load: {INSTALL_HINT})"
    )
    db_name = f"bench_public_{uuid.uuid4().hex[:8]}"
    port = free_port()
    with ExitStack() as stack:
        workdir = Path(tempfile.mkdtemp(prefix="bench-public-"))
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "bench",
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"{POSTGRES_URL}/{db_name}",
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": db_name,
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
        }
        cache = redis.Redis.from_url(REDIS_URL)
        cache.flushdb()
        stack.callback(cache.flushdb)
        log(f"database {db_name}, redis {REDIS_URL}, port {port}, load generator: {generator}")
        create_database(db_name)
        stack.callback(drop_database, db_name)

        started = time.monotonic()
        content_source = prepare(env)
        log(
            f"migrated, static collected, content from {content_source} "
            f"in {time.monotonic() - started:.0f} s"
        )
        pages = query_counts(env)
        by_name = {page["name"]: page for page in pages}
        for name in ("home page", "news page"):
            if name not in by_name:
                raise RuntimeError(f"the demo content has no {name}")

        server_log = workdir / "gunicorn.log"
        start_gunicorn(env, port, args.worker_class, server_log, stack)
        base = f"http://{HOST}:{port}"
        home_url, news_url = by_name["home page"]["url"], by_name["news page"]["url"]
        scenarios = [
            ("hello-world /healthz", "/healthz", {}, None),
            ("home page, cached", home_url, {}, "hit"),
            ("news page, cached", news_url, {}, "hit"),
            ("home page, uncached", home_url, UNCACHED_HEADERS, "not hit"),
            ("news page, uncached", news_url, UNCACHED_HEADERS, "not hit"),
        ]
        checked = []
        for label, path, headers, expected_cache in scenarios:
            url = base + path
            run_load(
                url,
                seconds=args.warmup,
                connections=args.connections,
                headers=headers,
                use_wrk=use_wrk,
            )
            status, cache_header = probe(url, headers)
            if status != 200:
                tail = "".join(server_log.read_text().splitlines(keepends=True)[-30:])
                raise RuntimeError(f"{label}: {url} answered {status}; server log:\n{tail}")
            if expected_cache == "hit" and cache_header != "hit":
                raise RuntimeError(f"{label}: no cache hit (X-Page-Cache={cache_header})")
            if expected_cache == "not hit" and cache_header == "hit":
                raise RuntimeError(f"{label}: the page cache answered despite the session cookie")
            checked.append((label, path, headers, cache_header))
        # Rounds interleave the scenarios and the best round counts, so a burst of other work
        # on the machine skews one round of one scenario rather than a whole ratio.
        best = {}
        for round_number in range(1, args.rounds + 1):
            for label, path, headers, _ in checked:
                log(f"round {round_number}/{args.rounds}: {label} ({path})")
                result = run_load(
                    base + path,
                    seconds=args.seconds / args.rounds,
                    connections=args.connections,
                    headers=headers,
                    use_wrk=use_wrk,
                )
                if (
                    label not in best
                    or result.requests_per_second > best[label].requests_per_second
                ):
                    best[label] = result
        rows = [
            (label, path, cache_header, best[label]) for label, path, _, cache_header in checked
        ]

    baseline = rows[0][3].requests_per_second
    print(
        f"\nPublic pages, production settings, gunicorn -w 2 {args.worker_class}, "
        f"{args.connections} connections, {args.seconds:.0f} s each (best of {args.rounds} "
        f"rounds), load generator: "
        f"{'wrk' if use_wrk else 'Python threads'}, content: {content_source}\n"
    )
    print(
        f"{'scenario':<24} {'url':<34} {'cache':<6} {'req/s':>8} {'ratio':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'errors':>6}  target"
    )
    failures = 0
    for label, path, cache_header, result in rows:
        ratio = result.requests_per_second / baseline
        target = ""
        if "cached" in label and "uncached" not in label:
            ok = ratio >= CACHED_TARGET
            failures += not ok
            target = f"≥ {CACHED_TARGET:.2f}× {'OK' if ok else 'MISSED'}"
        print(
            f"{label:<24} {short(path):<34} {cache_header:<6} {result.requests_per_second:>8.0f} "
            f"{ratio:>6.2f}× {format_ms(result.p50_ms):>7} {format_ms(result.p95_ms):>7} "
            f"{result.errors:>6}  {target}"
        )

    print(f"\nSQL queries per uncached anonymous page (target ≤ {MAX_QUERIES}):")
    for page in pages:
        ok = page["status"] == 200 and page["queries"] <= MAX_QUERIES
        failures += not ok
        print(
            f"  {page['name']:<20} {short(page['url']):<34} HTTP {page['status']}  "
            f"{page['queries']:>3} queries  {'OK' if ok else 'MISSED'}"
        )
        if args.show_sql or not ok:
            for sql in page["sql"]:
                print(f"      {sql[:160]}")
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="measured time per scenario")
    parser.add_argument("--warmup", type=float, default=2, help="unmeasured time per scenario")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds, best kept")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--worker-class", choices=["gthread", "sync"], default="gthread")
    parser.add_argument("--python-loadgen", action="store_true", help="ignore wrk if installed")
    parser.add_argument("--show-sql", action="store_true", help="print each page's queries")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
