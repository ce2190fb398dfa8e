"""The monthly invoicing run at a commune's scale: 5,000 families, ~20 billable days each.

    .venv/bin/python benchmarks/invoicing_run.py [--families 5000] [--days 20]
                                                 [--baseline-families 500]

Creates a throw-away PostgreSQL database, migrates it, writes the month's world in bulk (one
régie, one activity, one unit, the families with a guardian and a child each, a reservation
per child and opening day), then times, in this process:

1. `run_draft` (billable days → prices through one pricing context → one draft invoice per
   family, its lines) and `run_finalize` (numbers, dates, credits, the PDF tasks queued with
   the database task backend, as in production), then checks the invoices: one per family,
   numbers 1…N without gap or double, the counter at N, totals equal to their lines;
2. the same month billed the naive way, per family with the ORM (its days, its prices, one
   INSERT per invoice and per line, one counter call per invoice), on a second régie with
   `--baseline-families` families, in the same process: the ratio compares the cost per
   family.

Billable days and prices come from the in-test provider (`tests/invoicing/provider.py`)
until reservations' `billable_days` and `prices_for` are wired (see invoicing/sources.py).
Removes the database at the end, even on error. Target: draft + finalize ≤ 30 s.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from public_pages import POSTGRES_URL, REPO_ROOT, create_database, drop_database  # noqa: E402

TARGET_SECONDS = 30
MONTH = datetime.date(2026, 11, 1)


def log(message: str) -> None:
    print(f"[invoicing] {message}", file=sys.stderr, flush=True)


def django_setup(database: str, media: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DEBUG": "0",
            "DATABASE_URL": f"{POSTGRES_URL}/{database}",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "PRIVATE_MEDIA_ROOT": media,
        }
    )
    sys.path.insert(0, str(REPO_ROOT))
    os.chdir(REPO_ROOT)
    import django

    django.setup()
    import logging

    from django.core.management import call_command

    for chatty in ("weasyprint", "fontTools", "invoicing", "django_tasks"):
        logging.getLogger(chatty).setLevel(logging.WARNING)

    call_command("migrate", verbosity=0)


def opening_days(count: int) -> list[datetime.date]:
    days, day = [], MONTH
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
        if day.month != MONTH.month:
            raise SystemExit(f"November has fewer than {count} weekdays")
    return days


def build_world(*, code: str, families: int, days: int, start_number: int):
    """A régie, its activity and `families` families with one child booked every day."""
    from django.db import transaction

    from invoicing.models import Regie, RegieActivity
    from portal_features.models import Child, ChildMembership, Family, Guardian
    from reservations.models import Activity, Facility, Group, Reservation, SchoolYear, Slot, Unit
    from tests.invoicing.provider import Provider

    with transaction.atomic():
        school_year, _ = SchoolYear.objects.get_or_create(
            name="2026-2027",
            defaults={
                "start_date": datetime.date(2026, 9, 1),
                "end_date": datetime.date(2027, 8, 31),
            },
        )
        facility, _ = Facility.objects.get_or_create(name="Accueil périscolaire")
        activity = Activity.objects.create(
            school_year=school_year,
            facility=facility,
            name=f"ALAE {code}",
            start_date=school_year.start_date,
            end_date=school_year.end_date,
            weekdays=[0, 1, 2, 3, 4],
        )
        unit = Unit.objects.create(
            activity=activity,
            name="Accueil du soir",
            start_time=datetime.time(16, 30),
            end_time=datetime.time(18, 30),
            price=Decimal("3.15"),
        )
        group = Group.objects.create(activity=activity, name="Tous", capacity=families)
        regie = Regie.objects.create(
            name=f"Régie {code}",
            code=code,
            siret="21440109300015",
            regisseur_name="Paul Lenoir",
            regisseur_title="Régisseur titulaire",
            address_line="1 place de la Mairie",
            postal_code="45000",
            city="Montrivel-sur-Loire",
            public_accountant="SGC d'Orléans",
            court_name="Tribunal administratif d'Orléans",
        )
        RegieActivity.objects.create(activity=activity, regie=regie)
        the_days = opening_days(days)
        slots = Slot.objects.bulk_create(
            [Slot(unit=unit, group=group, day=day, capacity=families) for day in the_days]
        )
        family_rows = Family.objects.bulk_create(
            [
                Family(
                    number=f"B{start_number + i:08d}",
                    name=f"FAMILLE{start_number + i:05d}",
                    address_line=f"{i % 90 + 1} rue des Écoles",
                    postal_code="45000",
                    city="Montrivel-sur-Loire",
                )
                for i in range(families)
            ],
            batch_size=2000,
        )
        Guardian.objects.bulk_create(
            [
                Guardian(
                    family=f,
                    is_primary=True,
                    civility="mme",
                    last_name=f.name,
                    first_name="Claire",
                    role="mother",
                )
                for f in family_rows
            ],
            batch_size=2000,
        )
        children = Child.objects.bulk_create(
            [
                Child(
                    last_name=f.name,
                    first_name="Léa",
                    birth_date=datetime.date(2018, 5, 14),
                    sex="f",
                )
                for f in family_rows
            ],
            batch_size=2000,
        )
        ChildMembership.objects.bulk_create(
            [
                ChildMembership(child=c, family=f)
                for c, f in zip(children, family_rows, strict=True)
            ],
            batch_size=2000,
        )
        reservations = Reservation.objects.bulk_create(
            [
                Reservation(
                    family=f,
                    child=c,
                    unit=unit,
                    slot=slot,
                    day=slot.day,
                    status="accepted",
                    unit_price=unit.price,
                    attendance="present",
                )
                for f, c in zip(family_rows, children, strict=True)
                for slot in slots
            ],
            batch_size=5000,
        )
    provider = Provider()
    for reservation in reservations:
        reservation.unit = unit  # no query per day when the provider reads unit.activity_id
        provider.bill(reservation)
    return regie, provider, family_rows


def set_based(regie, provider) -> dict:
    from invoicing.services import run_draft, run_finalize

    started = time.perf_counter()
    run = run_draft(regie=regie, month=MONTH, actor=None, sources=provider)
    drafted = time.perf_counter()
    run_finalize(run=run, actor=None)
    finalized = time.perf_counter()
    return {"draft": drafted - started, "finalize": finalized - drafted, "run": run}


def naive(regie, provider, families) -> float:
    """The peer's way: a loop per family, one query or INSERT at a time, in one transaction
    (the peer has none; with none it would be slower still)."""
    from django.db import transaction
    from django.utils import timezone

    from core.counters import counter_next
    from core.money import money
    from invoicing.models import Invoice, InvoiceLine
    from invoicing.numbering import document_number
    from portal_features.models import Child
    from reservations.models import Reservation, Unit

    started = time.perf_counter()
    now = timezone.now()
    with transaction.atomic():
        for family in families:
            rows = Reservation.objects.filter(
                family=family, day__gte=MONTH, day__lt=datetime.date(2026, 12, 1)
            )
            invoice = Invoice.objects.create(
                regie=regie, family=family, month=MONTH, payer={"name": family.name}
            )
            total = Decimal("0.00")
            for reservation in rows:
                day = provider.days[reservation.pk]
                child = Child.objects.get(pk=day.child_id)
                unit = Unit.objects.get(pk=day.unit_id)
                context = provider.pricing_context(
                    unit_ids=[unit.pk], family_ids=[family.pk], start=MONTH, end=MONTH
                )
                for price in provider.prices_for(
                    family=family,
                    child=child,
                    unit=unit,
                    day=day.day,
                    situation=day.situation,
                    context=context,
                ):
                    amount = money(price.amount)
                    InvoiceLine.objects.create(
                        invoice=invoice,
                        child=child,
                        unit=unit,
                        activity_id=day.activity_id,
                        reservation_id=reservation.pk,
                        day=day.day,
                        kind=price.kind,
                        situation=day.situation,
                        quantity=1,
                        unit_price=amount,
                        amount=amount,
                        pricing=price.as_json(),
                        explanation=price.explanation(),
                        source_key=f"{reservation.pk}:{price.kind}",
                    )
                    total += amount
            sequence = counter_next(scope=f"invoice:{regie.code}", year=now.year)
            invoice.total = total
            invoice.status = "issued"
            invoice.year, invoice.sequence = now.year, sequence
            invoice.number = document_number(
                regie.invoice_number_format, regie_code=regie.code, year=now.year, sequence=sequence
            )
            invoice.issued_at, invoice.issued_on = now, now.date()
            invoice.due_on = now.date() + datetime.timedelta(days=30)
            invoice.save()
    return time.perf_counter() - started


def check(regie, families: int, days: int) -> list[str]:
    from django.db.models import Count, Sum

    from core.models import Counter
    from invoicing.models import Invoice, InvoiceLine

    problems = []
    invoices = Invoice.objects.filter(regie=regie, number__isnull=False)
    sequences = sorted(invoices.values_list("sequence", flat=True))
    if sequences != list(range(1, families + 1)):
        problems.append(f"sequences are not 1…{families} (got {len(sequences)})")
    numbers = list(invoices.values_list("number", flat=True))
    if len(set(numbers)) != len(numbers):
        problems.append("a number is given twice")
    year = invoices.values_list("year", flat=True).first()
    counter = Counter.objects.filter(scope=f"invoice:{regie.code}", year=year).first()
    if counter is None or counter.last_value != families:
        problems.append(f"the counter is at {counter and counter.last_value}, not {families}")
    lines = InvoiceLine.objects.filter(invoice__regie=regie).aggregate(
        n=Count("pk"), s=Sum("amount")
    )
    if lines["n"] != families * days:
        problems.append(f"{lines['n']} lines, not {families * days}")
    if invoices.aggregate(s=Sum("total"))["s"] != lines["s"]:
        problems.append("invoice totals differ from the sum of their lines")
    return problems


def run(args) -> int:
    database = f"bench_invoicing_{uuid.uuid4().hex[:8]}"
    media = tempfile.mkdtemp(prefix="bench-invoicing-")
    create_database(database)
    try:
        django_setup(database, media)
        from django.db import connection

        log(f"building {args.families} families × {args.days} days")
        started = time.perf_counter()
        regie, provider, _ = build_world(
            code="ALAE", families=args.families, days=args.days, start_number=0
        )
        log(f"world built in {time.perf_counter() - started:.1f} s")
        connection.close()
        timings = set_based(regie, provider)
        problems = check(regie, args.families, args.days)
        from django_tasks_db.models import DBTaskResult

        queued = DBTaskResult.objects.count()

        log(f"naive baseline on {args.baseline_families} families")
        base_regie, base_provider, base_families = build_world(
            code="NAIVE",
            families=args.baseline_families,
            days=args.days,
            start_number=args.families,
        )
        naive_seconds = naive(base_regie, base_provider, base_families)
        problems += [f"naive: {p}" for p in check(base_regie, args.baseline_families, args.days)]
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(database)

    total = timings["draft"] + timings["finalize"]
    per_family = total / args.families
    naive_per_family = naive_seconds / args.baseline_families
    print()
    print(
        f"Invoicing run, {args.families} families × {args.days} days "
        f"({args.families * args.days} lines), PostgreSQL"
    )
    print(f"  draft       {timings['draft']:7.2f} s")
    print(f"  finalize    {timings['finalize']:7.2f} s   ({queued} PDF tasks queued)")
    print(f"  total       {total:7.2f} s   target ≤ {TARGET_SECONDS} s")
    print(f"  per family  {per_family * 1000:7.2f} ms")
    print(
        f"Naive per-family ORM loop, {args.baseline_families} families: "
        f"{naive_seconds:.2f} s, {naive_per_family * 1000:.2f} ms per family"
    )
    print(f"  ratio naive ÷ set-based, per family: {naive_per_family / per_family:.1f}×")
    print(
        f"  naive extrapolated to {args.families} families: "
        f"{naive_per_family * args.families:.0f} s"
    )
    verdict = problems or "numbers 1…N gapless, counter at N, totals = Σ lines"
    print(f"Checks: {verdict}")
    return 1 if problems or total > TARGET_SECONDS else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", type=int, default=5000)
    parser.add_argument("--days", type=int, default=20)
    parser.add_argument("--baseline-families", type=int, default=500)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
