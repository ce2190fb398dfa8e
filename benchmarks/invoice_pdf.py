"""How long one invoice PDF takes, and how a worker's memory grows over many.

    .venv/bin/python benchmarks/invoice_pdf.py [--renders 200]

Creates a throw-away PostgreSQL database, bills one family's month (20 days, through the
in-test provider of billable days and prices, see invoicing_run.py), then renders that
invoice's PDF (the context read from the database, the template, WeasyPrint's PDF/UA-1
output) `--renders` times in this process, as one task worker would. Prints the median and
95th percentile time of a render and the worker's resident memory (VmRSS) after the first
render, after 20 and after all of them. Target: median ≤ 200 ms. Removes the database at
the end, even on error.
"""

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from invoicing_run import build_world, django_setup, log, set_based  # noqa: E402
from public_pages import create_database, drop_database  # noqa: E402

TARGET_MS = 200


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run(args) -> int:
    database = f"bench_invoice_pdf_{uuid.uuid4().hex[:8]}"
    create_database(database)
    try:
        django_setup(database, tempfile.mkdtemp(prefix="bench-invoice-pdf-"))
        from invoicing.models import Invoice
        from invoicing.pdf import INVOICE_TEMPLATE, invoice_pdf_context, render_pdf

        regie, provider, _ = build_world(code="PDF", families=1, days=20, start_number=0)
        set_based(regie, provider)
        invoice = Invoice.objects.get(regie=regie)
        log(f"rendering {invoice.number} {args.renders} times")
        timings, memory = [], {}
        for index in range(args.renders):
            started = time.perf_counter()
            content = render_pdf(INVOICE_TEMPLATE, invoice_pdf_context(invoice))
            timings.append((time.perf_counter() - started) * 1000)
            if index in (0, 19, args.renders - 1):
                memory[index + 1] = rss_mb()
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(database)

    median = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[-1]
    print()
    print(f"Invoice PDF ({len(content)} bytes, PDF/UA-1), {args.renders} renders in one process")
    print(f"  first render  {timings[0]:7.1f} ms (fonts and WeasyPrint loaded)")
    print(f"  median        {median:7.1f} ms   target ≤ {TARGET_MS} ms")
    print(f"  p95           {p95:7.1f} ms")
    print("  memory (VmRSS) " + ", ".join(f"after {n}: {mb:.0f} MB" for n, mb in memory.items()))
    last, twentieth = memory[args.renders], memory[20]
    print(
        f"  growth after warm-up: {last - twentieth:+.0f} MB over {args.renders - 20} renders "
        f"({(last - twentieth) * 1024 / (args.renders - 20):.0f} kB per render)"
    )
    return 0 if median <= TARGET_MS else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=200)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
