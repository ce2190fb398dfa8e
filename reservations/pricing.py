"""The one door to prices: what a unit costs a family on a day, and why.

The basket, the walk-in and invoicing all call `prices_for`, which returns one
`PriceResult` per line kind: the childcare, then the meal when the unit has a meal tariff
(the fiscal attestation counts childcare without meals). A unit without a tariff on the
day costs its own `Unit.price` (method "unit_price"). Invoicing freezes `as_json()` on its
lines and reads prices only here; reservations never import invoicing.

`PricingContext.load` reads everything a range of days needs in a constant number of
queries (at most 9, only what the tariffs use): the units, their tariffs with brackets and
reductions, the families' residence, QF records, children and siblings booked, and aids.
A month of every family prices without a query per day. The computation is `tariff_methods` (pure).
"""

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.money import format_euros
from portal_features.models import ChildMembership, Family, QuotientRecord
from portal_features.quotients.selectors import quotients_for, record_on

from . import tariff_methods as methods
from .choices import HOLDS_PLACE, Attendance
from .models import Reservation, Unit
from .models.tariffs import Aid, Residence, Tariff, overlapping
from .tariff_methods import (  # noqa: F401 - the situations, for callers of prices_for
    ABSENCE_BILLED,
    BOOKED,
    LATE_CANCELLATION,
    PRESENT,
    UNMARKED,
    WALK_IN,
)

SOURCE_LABELS = {
    QuotientRecord.Source.CAF: _("CAF"),
    QuotientRecord.Source.MSA: _("MSA"),
    QuotientRecord.Source.ATTESTATION: _("attestation"),
    QuotientRecord.Source.STAFF: _("entered by staff"),
}
DECIMAL_FIELDS = (
    "amount",
    "qf",
    "rate",
    "base_amount",
    "sibling_percent",
    "modifier_percent",
    "aid",
)


def _number(value: Decimal) -> str:
    if value == value.to_integral_value():
        return number_format(int(value), force_grouping=True)
    return number_format(value.normalize(), force_grouping=True)


@dataclass(frozen=True)
class PriceResult:
    amount: Decimal  # the unit price, rounded
    kind: str  # "childcare" | "meal"
    method: str  # "flat" | "qf_brackets" | "effort_rate" | "effort_rate_brackets" | "unit_price"
    tariff_id: int | None
    qf: Decimal | None
    qf_source: str | None  # "caf" | "msa" | "attestation" | "staff" | None
    qf_missing: bool  # no valid QF on the day: the default bracket / ceiling applied
    bracket: str | None  # « tranche 3 : 700 ≤ QF < 1 000 »
    rate: Decimal | None
    bound: str | None  # "floor" | "ceiling" | None
    base_amount: Decimal  # before sibling reduction, modifier and aid
    sibling_position: int | None
    sibling_percent: Decimal | None
    modifier: str | None  # "absence_billed" | "late_cancellation" | "walk_in" | None
    modifier_percent: Decimal | None
    aid: Decimal | None
    aid_label: str | None
    # "rank" or "count_same_day" when the tariff reduces for siblings (how to read the
    # position); last, with a default, so results frozen before it still load.
    sibling_mode: str | None = None

    def as_json(self) -> dict:
        """What an invoice line freezes: Decimals as strings."""
        data = asdict(self)
        for name in DECIMAL_FIELDS:
            if data[name] is not None:
                data[name] = str(data[name])
        return data

    @classmethod
    def from_json(cls, data) -> "PriceResult":
        known = {f.name for f in fields(cls)}
        values = {name: value for name, value in data.items() if name in known}
        for name in DECIMAL_FIELDS:
            if values.get(name) is not None:
                values[name] = Decimal(values[name])
        return cls(**values)

    def explanation(self) -> str:
        """In words: « QF 850 (CAF) – tranche 3 : 700 ≤ QF < 1 000 – enfant n° 2 : −10 % »."""
        parts = []
        if self.method == methods.UNIT_PRICE:
            parts.append(gettext("price of the unit (no tariff for this day)"))
        elif self.method == methods.FLAT:
            parts.append(gettext("flat price"))
        else:
            if self.qf_missing:
                parts.append(gettext("no valid QF on the day"))
            elif self.qf is not None:
                parts.append(
                    gettext("QF %(qf)s (%(source)s)")
                    % {"qf": _number(self.qf), "source": SOURCE_LABELS.get(self.qf_source, "?")}
                )
            if self.bracket:
                parts.append(self.bracket)
            if self.rate is not None and not (self.qf_missing and self.bound == methods.CEILING):
                parts.append(gettext("QF × %(rate)s") % {"rate": _number(self.rate)})
            if self.bound == methods.FLOOR:
                parts.append(gettext("floor applied"))
            elif self.bound == methods.CEILING:
                parts.append(gettext("ceiling applied"))
        if self.sibling_percent:
            values = {"position": self.sibling_position, "percent": _number(self.sibling_percent)}
            if self.sibling_mode == methods.SIBLINGS_COUNT:
                parts.append(gettext("%(position)s children present: −%(percent)s %%") % values)
            else:
                parts.append(gettext("child no. %(position)s: −%(percent)s %%") % values)
        if self.modifier == methods.ABSENCE_BILLED:
            parts.append(
                gettext("billed absence: %(percent)s %% of the price")
                % {"percent": _number(self.modifier_percent)}
            )
        elif self.modifier == methods.LATE_CANCELLATION:
            parts.append(
                gettext("late cancellation: %(percent)s %% of the price")
                % {"percent": _number(self.modifier_percent)}
            )
        elif self.modifier == methods.WALK_IN:
            parts.append(gettext("came without booking"))
        if self.aid:
            parts.append(
                gettext("%(label)s aid −%(amount)s")
                % {"label": self.aid_label, "amount": format_euros(self.aid)}
            )
        text = " – ".join(str(part) for part in parts)
        return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class _Dated:
    valid_from: datetime.date
    valid_until: datetime.date | None
    kind: str
    residence: str
    rule: methods.Rule

    def covers(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


def _pk(value) -> int:
    return value if isinstance(value, int) else value.pk


def _units(unit_ids) -> dict:
    """unit id → (its own price, its activity id); instances are not read again."""
    unit_ids = list(unit_ids)
    given = {unit.pk: unit for unit in unit_ids if isinstance(unit, Unit)}
    missing = {_pk(unit) for unit in unit_ids} - set(given)
    if missing:
        given.update(Unit.objects.filter(pk__in=missing).only("price", "activity_id").in_bulk())
    return {pk: (unit.price, unit.activity_id) for pk, unit in given.items()}


def _residents(family_ids, given) -> dict:
    residents = {pk: family.is_resident for pk, family in given.items()}
    missing = set(family_ids) - set(residents)
    if missing:
        residents.update(Family.objects.filter(pk__in=missing).values_list("pk", "is_resident"))
    return residents


def _siblings(family_ids, activity_ids, start, end) -> tuple[dict, dict]:
    """(child id → birth order key, (family, activity, day) → {child id: present}): the
    families' children, and those booked (holding a place) in the activities."""
    birth_order = {
        child_id: (birth_date, child_id)
        for child_id, birth_date in ChildMembership.objects.filter(
            family_id__in=family_ids
        ).values_list("child_id", "child__birth_date")
    }
    booked = defaultdict(dict)
    rows = Reservation.objects.filter(
        family_id__in=family_ids,
        unit__activity_id__in=activity_ids,
        day__range=(start, end),
        status__in=HOLDS_PLACE,
    ).values_list(
        "family_id", "unit__activity_id", "day", "child_id", "attendance", "absence__status"
    )
    for family_id, activity_id, day, child_id, attendance, absence in rows:
        present = attendance != Attendance.ABSENT and absence is None
        seen = booked[family_id, activity_id, day]
        seen[child_id] = seen.get(child_id, False) or present
    return birth_order, dict(booked)


@dataclass
class PricingContext:
    """Everything pricing needs for some units, families and days, read once."""

    units: dict  # unit id → (Unit.price, activity id)
    tariffs: dict  # unit id → [_Dated]
    residents: dict  # family id → is_resident
    quotients: dict  # family id → [QuotientRecord] valid in the range
    birth_order: dict  # child id → (birth date, id): eldest first
    booked: dict  # (family id, activity id, day) → {child id: present}
    aids: dict  # family id → [Aid]
    # (aid id, year, month) → the lines it was deducted from: the monthly cap.
    aid_lines: dict = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def load(cls, *, unit_ids, family_ids, start, end, quotients_known_at=None) -> "PricingContext":
        """At most nine queries whatever the number of units, families and days: the
        units (not read again when given as instances), their tariffs (with brackets and
        reductions when there are), the aids; then only what these tariffs use: the
        families' residence, QF records, children and siblings booked. QF records are
        those in force now, or at `quotients_known_at` (re-pricing a finalized month with
        the QF it was billed with)."""
        units = _units(unit_ids)
        family_ids = list(family_ids)
        given_families = {f.pk: f for f in family_ids if isinstance(f, Family)}
        family_ids = {_pk(family) for family in family_ids}
        tariffs = defaultdict(list)
        rows = overlapping(Tariff.objects.filter(unit_id__in=set(units)), start, end)
        for tariff in rows.prefetch_related("brackets", "sibling_reductions").order_by(
            "valid_from", "pk"
        ):
            tariffs[tariff.unit_id].append(
                _Dated(
                    tariff.valid_from,
                    tariff.valid_until,
                    tariff.kind,
                    tariff.residence,
                    tariff.rule(),
                )
            )
        dated = [item for items in tariffs.values() for item in items]
        aids = defaultdict(list)
        for aid in overlapping(Aid.objects.filter(family_id__in=family_ids), start, end).order_by(
            "pk"
        ):
            aids[aid.family_id].append(aid)
        residents = dict.fromkeys(family_ids, True)
        if any(item.residence != Residence.ALL for item in dated):
            residents.update(_residents(family_ids, given_families))
        quotients = {}
        if any(item.rule.method not in (methods.FLAT,) for item in dated):
            quotients = quotients_for(
                family_ids=family_ids, start=start, end=end, known_at=quotients_known_at
            )
        birth_order, booked = {}, {}
        if any(item.rule.sibling_mode != methods.SIBLINGS_NONE for item in dated):
            activity_ids = {activity_id for _price, activity_id in units.values()}
            birth_order, booked = _siblings(family_ids, activity_ids, start, end)
        return cls(
            units=units,
            tariffs=dict(tariffs),
            residents=residents,
            quotients=quotients,
            birth_order=birth_order,
            booked=booked,
            aids=dict(aids),
        )

    def plan(self, *, family, child, unit, day) -> None:
        """Count a day not booked yet (a basket's line) among the family's children that
        day, for sibling reductions."""
        activity_id = self.units[_pk(unit)][1]
        self.booked.setdefault((_pk(family), activity_id, day), {})[_pk(child)] = True

    def _tariff(self, unit_id, kind, day, resident: bool) -> methods.Rule | None:
        wanted = Residence.RESIDENT if resident else Residence.NON_RESIDENT
        found = [
            dated
            for dated in self.tariffs.get(unit_id, ())
            if dated.kind == kind and dated.covers(day)
        ]
        for residence in (wanted, Residence.ALL):
            for dated in found:
                if dated.residence == residence:
                    return dated.rule
        return None

    def _siblings(self, family_id, activity_id, child_id, day) -> tuple[int, int]:
        """(rank of the child among the family's children booked that day, eldest first;
        number of them present), the child counted in both."""
        seen = dict(self.booked.get((family_id, activity_id, day), {}))
        seen.setdefault(child_id, True)
        order = sorted(seen, key=lambda pk: self.birth_order.get(pk, (datetime.date.max, pk)))
        return order.index(child_id) + 1, sum(1 for present in seen.values() if present) or 1

    def _aids(self, family_id, activity_id, line_key, day) -> list[Aid]:
        """The family's aids on this line and day, each within its monthly cap."""
        found = []
        for aid in self.aids.get(family_id, ()):
            if aid.activity_id not in (None, activity_id):
                continue
            if aid.valid_from > day or (aid.valid_until is not None and day > aid.valid_until):
                continue
            lines = self.aid_lines[aid.pk, day.year, day.month]
            cap = aid.max_days_per_month
            if line_key in lines or cap is None or len(lines) < cap:
                found.append(aid)
        return found

    def prices(self, *, family, child, unit, day, situation=methods.BOOKED) -> list[PriceResult]:
        family_id, child_id, unit_id = _pk(family), _pk(child), _pk(unit)
        try:
            unit_price, activity_id = self.units[unit_id]
            resident = self.residents[family_id]
        except KeyError as error:
            raise ValueError(f"Pricing context not loaded for {error.args[0]}") from error
        record = record_on(self.quotients.get(family_id, ()), day)
        qf = record.value if record is not None else None
        rank, count = self._siblings(family_id, activity_id, child_id, day)
        line_key = (child_id, unit_id, day)
        aids = (
            self._aids(family_id, activity_id, line_key, day)
            if situation in methods.AID_SITUATIONS
            else []
        )
        results = []
        for kind in (methods.CHILDCARE, methods.MEAL):
            rule = self._tariff(unit_id, kind, day, resident)
            if rule is None and kind == methods.MEAL:
                continue
            line_aids = aids if kind == methods.CHILDCARE else []
            computed = methods.compute(
                rule,
                fallback=unit_price,
                qf=qf,
                situation=situation,
                sibling_rank=rank,
                sibling_count=count,
                aid=sum((aid.amount for aid in line_aids), Decimal(0)) or None,
            )
            if computed.aid:
                for aid in line_aids:
                    self.aid_lines[aid.pk, day.year, day.month].add(line_key)
            results.append(self._result(computed, kind, rule, record, line_aids))
        return results

    @staticmethod
    def _result(computed, kind, rule, record, aids) -> PriceResult:
        uses_qf = computed.method not in (methods.FLAT, methods.UNIT_PRICE)
        return PriceResult(
            amount=computed.amount,
            kind=kind,
            method=computed.method,
            tariff_id=rule.id if rule is not None else None,
            qf=record.value if uses_qf and record is not None else None,
            qf_source=record.source if uses_qf and record is not None else None,
            qf_missing=computed.qf_missing,
            bracket=(
                methods.bracket_text(computed.bracket, computed.bracket_position)
                if computed.bracket is not None
                else None
            ),
            rate=computed.rate,
            bound=computed.bound,
            base_amount=computed.base_amount,
            sibling_position=computed.sibling_position,
            sibling_percent=computed.sibling_percent,
            modifier=computed.modifier,
            modifier_percent=computed.modifier_percent,
            aid=computed.aid,
            aid_label=", ".join(aid.label for aid in aids) if computed.aid else None,
            sibling_mode=(
                rule.sibling_mode
                if rule is not None and rule.sibling_mode != methods.SIBLINGS_NONE
                else None
            ),
        )


def prices_for(
    *, family, child, unit, day, situation=methods.BOOKED, context=None
) -> list[PriceResult]:
    """One result per line kind (childcare, then meal if the unit has a meal tariff).

    `family`, `child` and `unit` are instances or ids; `situation` is "booked" (the
    basket) or one of `selectors.billing.Situation`. Without `context`, one is loaded for
    this day (at most 9 queries); to price many days, load one and pass it.
    """
    if context is None:
        context = PricingContext.load(unit_ids=[unit], family_ids=[family], start=day, end=day)
    return context.prices(family=family, child=child, unit=unit, day=day, situation=situation)


def total(results) -> Decimal:
    """What the lines of one day cost together (the basket's price of a day)."""
    return sum((result.amount for result in results), Decimal("0.00"))


def booking_prices(*, family, lines) -> list[list[PriceResult]]:
    """The prices of days the family is about to book, `lines` as (child, unit, day): one
    context for all (at most 9 queries), each line counting the others among its siblings."""
    lines = list(lines)
    if not lines:
        return []
    days = [day for _child, _unit, day in lines]
    context = PricingContext.load(
        unit_ids={unit for _child, unit, _day in lines},
        family_ids=[family],
        start=min(days),
        end=max(days),
    )
    for child, unit, day in lines:
        context.plan(family=family, child=child, unit=unit, day=day)
    return [
        context.prices(family=family, child=child, unit=unit, day=day) for child, unit, day in lines
    ]
