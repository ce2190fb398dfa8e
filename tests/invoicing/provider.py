"""An in-test provider of billable days and prices, in the shapes of
`reservations.selectors.billing` and `reservations.pricing`, so that invoicing's own rules
are tested apart from the tariffs. Only the billing inputs are provided this way:
reservations, invoices, lines, numbers and runs are real rows."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from core.money import money


@dataclass(frozen=True)
class BillableDay:
    reservation_id: int
    family_id: int
    child_id: int
    unit_id: int
    activity_id: int
    day: datetime.date
    situation: str


@dataclass(frozen=True)
class BillingAlert:
    kind: str
    family_id: int | None
    child_id: int | None
    day: datetime.date | None
    message: str


@dataclass(frozen=True)
class Price:
    amount: Decimal
    kind: str = "childcare"
    method: str = "qf_brackets"
    qf: Decimal | None = Decimal("850")
    qf_missing: bool = False
    bracket: str | None = "tranche 3 : 700 ≤ QF < 1 000"

    def as_json(self) -> dict:
        return {
            "amount": str(self.amount),
            "kind": self.kind,
            "method": self.method,
            "qf": None if self.qf is None else str(self.qf),
            "qf_missing": self.qf_missing,
            "bracket": self.bracket,
        }

    def explanation(self) -> str:
        if self.qf_missing:
            return "Sans QF valide – tarif le plus élevé"
        return f"QF {self.qf:.0f} – {self.bracket}"


@dataclass
class Provider:
    """Billable days as staff would leave them; prices per unit (and per situation)."""

    days: dict[int, BillableDay] = field(default_factory=dict)  # by reservation id
    alerts: list[BillingAlert] = field(default_factory=list)
    unit_prices: dict[int, Decimal] = field(default_factory=dict)
    meal_prices: dict[int, Decimal] = field(default_factory=dict)
    situation_prices: dict[str, Decimal] = field(default_factory=dict)
    families_without_qf: set[int] = field(default_factory=set)
    calls: list[str] = field(default_factory=list)

    def bill(self, reservation, situation="present"):
        self.days[reservation.pk] = BillableDay(
            reservation_id=reservation.pk,
            family_id=reservation.family_id,
            child_id=reservation.child_id,
            unit_id=reservation.unit_id,
            activity_id=reservation.unit.activity_id,
            day=reservation.day,
            situation=situation,
        )

    def free(self, reservation):
        """The day is no longer billable (excused absence, cancelled by the commune)."""
        self.days.pop(reservation.pk)

    # The four calls invoicing makes (invoicing.sources.BillingSources).

    def billable_days(self, *, activity_ids, start, end):
        self.calls.append("billable_days")
        return [
            d for d in self.days.values() if d.activity_id in activity_ids and start <= d.day <= end
        ]

    def billing_alerts(self, *, activity_ids, start, end):
        return [a for a in self.alerts if a.day is None or start <= a.day <= end]

    def pricing_context(self, *, unit_ids, family_ids, start, end, known_at=None):
        self.calls.append("pricing_context")
        return {"units": list(unit_ids), "families": list(family_ids)}

    def prices_for(self, *, family, child, unit, day, situation, context):
        assert unit.pk in context["units"] and family.pk in context["families"]
        missing = family.pk in self.families_without_qf
        amount = self.situation_prices.get(situation, self.unit_prices.get(unit.pk, unit.price))
        qf = None if missing else Decimal(850)
        results = [Price(amount=money(amount), qf_missing=missing, qf=qf)]
        if unit.pk in self.meal_prices:
            results.append(
                Price(amount=self.meal_prices[unit.pk], kind="meal", method="flat", bracket=None)
            )
        return results
