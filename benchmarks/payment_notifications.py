"""A storm of payment notifications: 200 signed Systempay notifications for 50 attempts (each
sent 4 times, shuffled) against gunicorn on PostgreSQL, as a provider that retries (or a
handful of its servers) would send them.

    .venv/bin/python benchmarks/payment_notifications.py [--attempts 50] [--copies 4]
                                                         [--clients 16] [--hello-seconds 5]

Creates a throw-away PostgreSQL database, migrates it (static files collected alongside),
then, inside Django: bills one month for `--attempts` families (the monthly run), opens an
online payment of each family's invoice through the simulator speaking Systempay's
protocol (payment request, attempt, the signed form), and writes the signed notification the
platform would send for a card paid. It starts `gunicorn cms.wsgi -w 2 -k gthread
--threads 4` with the production settings, measures hello-world (`GET /healthz`) with the
same clients before and after, and sends the storm: `--clients` threads with keep-alive
connections take the shuffled notifications from one queue. Then it reads the ledger.

Targets: exactly one payment per attempt (50), every attempt paid, one receipt number each,
every notification kept in the attempt's history, 0 answers 5xx or missing. Printed: p50 and
p95 latency, notifications per second and their ratio to hello-world in the same run.
Removes the gunicorn processes, the database and the temporary folder, even on error.
"""

import argparse
import http.client
import json
import os
import queue
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from opening_day_rush import (  # noqa: E402
    Client,
    Sample,
    hello_world,
    percentiles,
    run_threads,
    status_classes,
)
from public_pages import (  # noqa: E402
    POSTGRES_URL,
    PYTHON,
    REPO_ROOT,
    create_database,
    drop_database,
    free_port,
    manage,
    start_gunicorn,
)

HOST = "127.0.0.1"
SCRIPT = Path(__file__).resolve()
PROVIDER = "simulator-systempay"
FORM = "application/x-www-form-urlencoded"


def log(message: str) -> None:
    print(f"[notifications] {message}", file=sys.stderr, flush=True)


# --- Inside Django (run as a subprocess with the benchmark's environment) ----------------


def django_setup() -> None:
    sys.path.insert(0, str(REPO_ROOT))
    os.chdir(REPO_ROOT)
    import django

    django.setup()
    import logging

    for chatty in ("invoicing", "weasyprint", "fontTools", "django_tasks"):
        logging.getLogger(chatty).setLevel(logging.ERROR)


def build(attempts: int, port: int) -> dict:
    """`attempts` families billed, each with its attempt opened; the signed notifications."""
    from urllib.parse import urlencode

    from django.urls import reverse
    from django.utils import timezone
    from invoicing_run import MONTH, build_world

    from invoicing.models import Invoice
    from invoicing.payments.providers import simulator
    from invoicing.services import run_draft, run_finalize
    from invoicing.services.online import attempt_start, payment_request_open

    regie, provider, families = build_world(code="ALSH", families=attempts, days=3, start_number=0)
    run_finalize(run=run_draft(regie=regie, month=MONTH, actor=None, sources=provider), actor=None)
    notify_url = f"http://{HOST}:{port}" + reverse("payment_notification", args=[PROVIDER])
    bodies = []
    for family in families:
        invoice = Invoice.objects.get(family=family, kind="invoice")
        attempt = payment_request_open(
            family=family,
            invoice_ids=[invoice.pk],
            email="famille@example.fr",
            provider=PROVIDER,
        )
        created = attempt_start(
            attempt=attempt,
            return_url=f"http://{HOST}:{port}/retour/",
            notify_url=notify_url,
        )
        # What Lyra posts for a card paid: the form's fields echoed, the result, signed.
        record = {
            "fields": dict(created.form.fields),
            "result": "P",
            "auth_number": f"{attempt.pk:06d}",
            "done_at": timezone.now(),
        }
        bodies.append(urlencode(simulator.systempay_result_fields(record)))
    return {"bodies": bodies, "path": reverse("payment_notification", args=[PROVIDER])}


def check() -> dict:
    from django.db.models import Count

    from core.models import Counter
    from invoicing.models import Payment, PaymentAttempt, PaymentAttemptEvent

    per_attempt = Payment.objects.values("attempt").annotate(n=Count("pk"))
    return {
        "payments": Payment.objects.count(),
        "attempts": PaymentAttempt.objects.count(),
        "attempts_paid": PaymentAttempt.objects.filter(state="paid").count(),
        "attempts_with_two_payments": sum(1 for row in per_attempt if row["n"] > 1),
        "receipt_counter": sum(
            Counter.objects.filter(scope__startswith="receipt:").values_list(
                "last_value", flat=True
            )
        ),
        "notifications_kept": PaymentAttemptEvent.objects.filter(source="notification").count(),
        "paid_transitions": PaymentAttemptEvent.objects.filter(
            source="notification", state_after="paid"
        )
        .exclude(state_before="paid")
        .count(),
    }


def django_command(args) -> int:
    django_setup()
    result = build(args.attempts, args.port) if args.command == "build" else check()
    json.dump(result, sys.stdout)
    return 0


def in_django(env: dict, *args: str) -> dict:
    output = subprocess.run(
        [PYTHON, str(SCRIPT), *args],
        cwd=REPO_ROOT,
        env={**env, "PYTHONPATH": str(SCRIPT.parent)},
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(output)


# --- The storm ---------------------------------------------------------------------------


def storm(port: int, path: str, bodies: list[str], *, clients: int) -> tuple[float, list[Sample]]:
    work: queue.Queue = queue.Queue()
    for body in bodies:
        work.put(body)
    per_client = [Client(port) for _ in range(clients)]

    def send(index: int) -> None:
        client = per_client[index]
        while True:
            try:
                body = work.get_nowait()
            except queue.Empty:
                break
            client.request(
                "notification",
                "POST",
                path,
                body=body.encode(),
                headers={"Content-Type": FORM, "User-Agent": "systempay-ipn"},
            )
        client.close()

    elapsed = run_threads(clients, send)
    return elapsed, [sample for client in per_client for sample in client.samples]


def prepare(env: dict) -> None:
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


def run(args) -> int:
    db_name = f"bench_notify_{uuid.uuid4().hex[:8]}"
    port = free_port()
    with ExitStack() as stack:
        workdir = Path(tempfile.mkdtemp(prefix="bench-notify-"))
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "bench",
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"{POSTGRES_URL}/{db_name}",
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "PAYMENT_PROVIDER": PROVIDER,
            "PAYMENT_SIMULATOR_ENABLED": "1",
            "PAYMENT_SIMULATOR_ALLOWED_IN_PRODUCTION": "1",
            "LOG_LEVEL": "WARNING",
        }
        log(f"database {db_name}, port {port}")
        create_database(db_name)
        stack.callback(drop_database, db_name)
        started = time.monotonic()
        prepare(env)
        log(f"migrated and static collected in {time.monotonic() - started:.0f} s")
        world = in_django(env, "build", "--attempts", str(args.attempts), "--port", str(port))
        bodies = [body for body in world["bodies"] for _copy in range(args.copies)]
        random.Random(args.seed).shuffle(bodies)
        log(f"{len(world['bodies'])} attempts opened, {len(bodies)} notifications to send")

        server_log = workdir / "gunicorn.log"
        start_gunicorn(env, port, "gthread", server_log, stack)
        warm = http.client.HTTPConnection(HOST, port, timeout=30)
        warm.request("POST", world["path"], body=b"idOp=x", headers={"Content-Type": FORM})
        log(f"warm-up: a malformed notification answered {warm.getresponse().status}")
        warm.close()

        hello_rps, hello_samples = hello_world(
            port, clients=args.clients, seconds=args.hello_seconds
        )
        elapsed, samples = storm(port, world["path"], bodies, clients=args.clients)
        again_rps, again_samples = hello_world(
            port, clients=args.clients, seconds=args.hello_seconds
        )
        if again_rps > hello_rps:
            hello_rps, hello_samples = again_rps, again_samples
        ledger = in_django(env, "check")
        errors = [line for line in server_log.read_text().splitlines() if "Error" in line]

    classes = status_classes(samples)
    p50, p95 = percentiles(samples)
    hello_p50, hello_p95 = percentiles(hello_samples)
    rps = len(samples) / elapsed
    attempts = len(world["bodies"])
    print()
    print(
        f"Payment notifications: {len(samples)} for {attempts} attempts "
        f"({args.copies} copies each, shuffled), {args.clients} clients, gunicorn 2×4 gthread"
    )
    print(f"  answers          {dict(classes)}")
    print(f"  latency          p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    print(f"  throughput       {rps:.0f} notifications/s ({elapsed:.2f} s)")
    print(
        f"  hello-world      {hello_rps:.0f} requests/s (p50 {hello_p50:.0f} ms, "
        f"p95 {hello_p95:.0f} ms)"
    )
    print(f"  ratio            {rps / hello_rps:.2f} × hello-world")
    print(f"  ledger           {ledger}")
    failures = []
    if ledger["payments"] != attempts or ledger["attempts_paid"] != attempts:
        failures.append(f"{ledger['payments']} payments for {attempts} attempts")
    if ledger["attempts_with_two_payments"] or ledger["receipt_counter"] != attempts:
        failures.append("an attempt was paid twice or a receipt number given twice")
    if ledger["notifications_kept"] != len(samples) or ledger["paid_transitions"] != attempts:
        failures.append("the attempts' history misses notifications")
    if classes.get("5xx") or classes.get("no answer") or classes.get("4xx"):
        failures.append("some notifications were not answered 200")
    if errors:
        print(f"  server log: {len(errors)} error lines, first: {errors[0][:200]}")
    print(f"Checks: {failures or 'one payment per attempt, every notification kept, 0 errors'}")
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command")
    build_parser = subparsers.add_parser("build", help="(internal) bill and open the attempts")
    build_parser.add_argument("--attempts", type=int, required=True)
    build_parser.add_argument("--port", type=int, required=True)
    subparsers.add_parser("check", help="(internal) read the ledger")
    parser.add_argument("--attempts", type=int, default=50)
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--clients", type=int, default=16, help="concurrent senders")
    parser.add_argument("--hello-seconds", type=float, default=5)
    parser.add_argument("--seed", type=int, default=2026, help="the storm's order")
    args = parser.parse_args()
    if args.command in ("build", "check"):
        return django_command(args)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
