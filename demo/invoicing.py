"""The demo's money: the commune's two régies, tariffs by quotient familial for every unit
(with a separate meal line where a unit includes lunch), the months before this one invoiced
and finalized through the invoicing services, one credit note after an absence excused late
(a corrective run), and this month's run as a draft that staff can review.

Everything goes through the services (tariffs checked by `tariff_save`, runs drafted and
finalized by `run_draft` / `run_finalize`, the late absence recorded by `absence_record`)
at past instants: the 3rd of the following month for a month's run. Safe to run again: a
month already finalized is left alone, the draft is prepared once a day.

The PDFs are not rendered while building (a family's first download renders its PDF), and
the families' alerts are stored without their e-mail copies, like the rest of the demo.
"""

import datetime
import logging
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.money import money
from core.time import PARIS, local_today
from invoicing.choices import RunKind, RunStatus
from invoicing.models import Invoice, InvoicingRun, Regie, RegieActivity
from invoicing.notify import documents_published_tell
from invoicing.services import run_corrective, run_draft, run_finalize
from portal_features.models import Family
from reservations.choices import AbsenceStatus, Attendance
from reservations.models import Activity, Reservation, SchoolYear, Unit
from reservations.models.tariffs import SiblingReduction, Tariff, TariffBracket
from reservations.services import absences as absence_services
from reservations.services import attendance as attendance_services
from reservations.services.tariffs import tariff_save

from . import commune
from .families import STAFF_EMAIL

logger = logging.getLogger(__name__)

SIRET = "21450000000017"  # a valid SIRET (Luhn) for a made-up commune
COMMON = {
    "siret": SIRET,
    "regisseur_title": "Régisseur titulaire",
    "address_line": "1, place de la Mairie",
    "postal_code": "45000",
    "city": commune.SHORT_NAME,
    "counter_details": "Mairie, service enfance-jeunesse, du lundi au vendredi de 8 h 30 à 12 h",
    "public_accountant": "Service de gestion comptable d'Orléans, 4, place du Martroi, 45000 "
    "Orléans",
    "court_name": "Tribunal administratif d'Orléans",
    "due_days": 30,
    "minimum_amount": Decimal("5.00"),
    "payment_means": ["online_card", "cheque", "cash", "cesu", "direct_debit"],
    # The régie's account at the Trésor and its SEPA creditor identifier (made up).
    "sepa_iban": "FR1420041010050500013M02606",
    "sepa_bic": "PSSTFRPPPAR",
    "sepa_ics": "FR72ZZZ123456",
}
# code → (name, régisseur, facility names it bills; None: every other facility)
REGIES = {
    "ALSH": ("Régie accueil de loisirs", "Martine Garnier", ("Accueil de loisirs",)),
    "PERI": ("Régie périscolaire et restauration", "Olivier Chevalier", None),
}

# The brackets families know from the leaflet « Tarifs » (QF from, QF below, share of the
# full price); a family without a valid QF pays the highest bracket, and its line says so.
BRACKETS = (
    (Decimal(0), Decimal(500), Decimal("0.50")),
    (Decimal(500), Decimal(700), Decimal("0.70")),
    (Decimal(700), Decimal(1000), Decimal("0.85")),
    (Decimal(1000), Decimal(1400), Decimal("1.00")),
    (Decimal(1400), None, Decimal("1.15")),
)
MEAL_PRICE = Decimal("3.85")  # the meal line of a unit that includes lunch
LUNCH_SUPERVISION = Decimal("0.80")  # the childcare part of « Repas » (pause méridienne)
# Restauration: the second child booked the same day −10 %, the third and next −20 %.
SIBLING_REDUCTIONS = ((2, Decimal(10)), (3, Decimal(20)))


# --- Régies and tariffs ------------------------------------------------------------------


def ensure_regies(school_year: SchoolYear) -> dict[str, Regie]:
    regies = {}
    for code, (name, regisseur, _facilities) in REGIES.items():
        regies[code], _ = Regie.objects.get_or_create(
            code=code, defaults={"name": name, "regisseur_name": regisseur, **COMMON}
        )
    for activity in Activity.objects.filter(school_year=school_year).select_related("facility"):
        code = next(
            (
                code
                for code, (_n, _r, facilities) in REGIES.items()
                if facilities and activity.facility.name in facilities
            ),
            "PERI",
        )
        RegieActivity.objects.get_or_create(activity=activity, defaults={"regie": regies[code]})
    return regies


def _childcare_base(unit: Unit) -> Decimal:
    if unit.activity.name.endswith("Restauration scolaire") or unit.name == "Repas":
        return LUNCH_SUPERVISION
    if unit.includes_meal:
        return unit.price - MEAL_PRICE
    return unit.price


def ensure_tariffs(school_year: SchoolYear) -> None:
    """A QF-bracket tariff for each unit of the school year from its first day, and a flat
    meal tariff for each unit that includes lunch. Units that have tariffs are left alone."""
    units = (
        Unit.objects.filter(activity__school_year=school_year, tariffs__isnull=True)
        .select_related("activity")
        .order_by("pk")
    )
    for unit in units:
        base = _childcare_base(unit)
        is_lunch = unit.name == "Repas"
        tariff = Tariff(
            unit=unit,
            kind="childcare",
            valid_from=school_year.start_date,
            method="qf_brackets",
            sibling_mode="rank" if is_lunch else "none",
        )
        brackets = [
            TariffBracket(qf_min=low, qf_max=high, amount=money(base * share))
            for low, high, share in BRACKETS
        ]
        reductions = (
            [SiblingReduction(position=p, percent=pct) for p, pct in SIBLING_REDUCTIONS]
            if is_lunch
            else []
        )
        tariff_save(tariff=tariff, brackets=brackets, reductions=reductions)
        if unit.includes_meal:
            tariff_save(
                tariff=Tariff(
                    unit=unit,
                    kind="meal",
                    valid_from=school_year.start_date,
                    method="flat",
                    amount=MEAL_PRICE,
                )
            )


# --- Runs --------------------------------------------------------------------------------


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _previous_month(month: datetime.date) -> datetime.date:
    return _month_start(month - datetime.timedelta(days=1))


def _issued_at(month: datetime.date, now: datetime.datetime) -> datetime.datetime:
    """The 3rd of the following month, 9:00 (never after now)."""
    following = _month_start(month + datetime.timedelta(days=32)).replace(day=3)
    return min(datetime.datetime.combine(following, datetime.time(9), tzinfo=PARIS), now)


def months_to_finalize(today: datetime.date, school_year: SchoolYear) -> list[datetime.date]:
    """The two months before this one, within the school year."""
    last = _previous_month(_month_start(today))
    months = [_previous_month(last), last]
    return [m for m in months if m >= _month_start(school_year.start_date)]


@contextmanager
def without_commit_callbacks():
    """The PDF tasks and e-mails the services queue for after the commit are dropped."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("Build the demo's invoicing inside a transaction.")
    before = len(connection.run_on_commit)
    try:
        yield
    finally:
        del connection.run_on_commit[before:]


def _finalized(regie, month, kind=RunKind.REGULAR) -> bool:
    return InvoicingRun.objects.filter(
        regie=regie, month=month, kind=kind, status=RunStatus.FINALIZED
    ).exists()


def _late_excused_absence(month: datetime.date, regie, staff, at: datetime.datetime) -> bool:
    """Hugo (DUPONT) was ill on a day already invoiced: the certificate came after the
    invoice, so staff record the absence as excused; the corrective run gives it back."""
    reservation = (
        Reservation.objects.filter(
            family__guardians__user__email="claire.dupont@example.fr",
            child__first_name="Hugo",
            unit__activity__regie_link__regie=regie,
            day__gte=month,
            day__lt=_month_start(month + datetime.timedelta(days=32)),
            attendance=Attendance.PRESENT,
            absence__isnull=True,
            invoice_lines__isnull=False,
        )
        .order_by("-day", "pk")
        .first()
    )
    if reservation is None:
        return False
    attendance_services.attendance_mark(
        reservation_ids=[reservation.pk], attendance=Attendance.ABSENT, actor=staff, now=at
    )
    absence_services.absence_record(
        reservation=reservation,
        status=AbsenceStatus.EXCUSED,
        actor=staff,
        note="Certificat médical remis après la facture : la journée est remboursée par avoir.",
        now=at,
    )
    return True


def ensure_runs(regies: dict[str, Regie], school_year: SchoolYear, *, now, staff) -> list[int]:
    """Finalize the months before this one, one corrective run, this month's draft.
    Returns the ids of the documents issued now (to tell the families)."""
    today = local_today(now)
    issued: list[int] = []
    months = months_to_finalize(today, school_year)
    for regie in regies.values():
        for month in months:
            if _finalized(regie, month):
                continue
            at = _issued_at(month, now)
            run = run_draft(regie=regie, month=month, actor=staff, now=at)
            run_finalize(run=run, actor=staff, now=at)
            issued += list(Invoice.objects.filter(run=run).numbered().values_list("pk", flat=True))
    if months:
        last = months[-1]
        regie = regies["PERI"]
        if not _finalized(regie, last, RunKind.CORRECTIVE):
            at = min(_issued_at(last, now) + datetime.timedelta(days=1), now)
            if _late_excused_absence(last, regie, staff, at):
                run = run_corrective(regie=regie, month=last, actor=staff, now=at)
                run_finalize(run=run, actor=staff, now=at)
                issued += list(
                    Invoice.objects.filter(run=run).numbered().values_list("pk", flat=True)
                )
    this_month = _month_start(today)
    for regie in regies.values():
        draft = InvoicingRun.objects.filter(
            regie=regie, month=this_month, kind=RunKind.REGULAR
        ).first()
        if draft is None or (
            draft.status == RunStatus.DRAFT and timezone.localdate(draft.created_at) < today
        ):
            run_draft(regie=regie, month=this_month, actor=staff, now=now)
    return issued


@transaction.atomic
def ensure_invoicing(demo, *, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    school_year = SchoolYear.objects.filter(
        start_date__lte=local_today(now), end_date__gte=local_today(now)
    ).first()
    if school_year is None:
        return
    staff = get_user_model().objects.filter(email=STAFF_EMAIL).first()
    regies = ensure_regies(school_year)
    ensure_tariffs(school_year)
    with without_commit_callbacks():
        issued = ensure_runs(regies, school_year, now=now, staff=staff)
        # The alerts of the latest documents, as families would have received them.
        latest = list(
            Invoice.objects.filter(pk__in=issued, family__in=Family.objects.all())
            .order_by("-issued_at")
            .values_list("pk", "issued_at", "kind")
        )
        if latest:
            newest = latest[0][1]
            documents_published_tell(
                invoice_ids=[pk for pk, at, kind in latest if at == newest or kind == "credit_note"]
            )
    logger.info("Demo invoicing: %s documents issued", len(issued))
