"""How a tariff computes a price: plain values in, a price and how it was reached out.

No database here: `reservations/pricing.py` reads the tariff, the family's QF on the day,
the siblings booked and the aids, then calls `compute()`. The choices, written where made:

- Brackets are half-open, `qf_min ≤ QF < qf_max`, contiguous from 0, the highest open
  (`bracket_errors` refuses gaps, overlaps and a closed top). A family without a valid QF
  on the day falls in the tariff's `no_qf_bracket` (by default the highest).
- Effort rate: QF × rate, rounded, then clamped to [floor, ceiling]; without a valid QF,
  the ceiling (which is why an effort rate needs one).
- Each step that computes an amount rounds it once, half up to the cent (`core.money`):
  after QF × rate, after clamping, after a percentage (sibling reduction, then the
  absence or late-cancellation modifier), after the aid. A line is then quantity × that
  rounded unit price, exactly (`line_amount`).
- Sibling reduction: the child's rank among the family's children booked that day (eldest
  first) or the number of them present; a position beyond the highest configured takes
  its reduction, one below the lowest none.
- A day come without booking costs the tariff's `walk_in_amount` when it has one (no
  sibling reduction then: it is a price of its own), else the usual price.
- An aid is deducted from the childcare line of a day come (booked, present, unmarked or
  come unbooked), never below zero; not from a billed absence or late cancellation.
"""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext

from core.money import money

CHILDCARE, MEAL = "childcare", "meal"
FLAT, QF_BRACKETS, EFFORT_RATE, EFFORT_RATE_BRACKETS = (
    "flat",
    "qf_brackets",
    "effort_rate",
    "effort_rate_brackets",
)
UNIT_PRICE = "unit_price"  # no tariff on the day: the unit's own price
SIBLINGS_NONE, SIBLINGS_RANK, SIBLINGS_COUNT = "none", "rank", "count_same_day"
FLOOR, CEILING = "floor", "ceiling"

# Situations of a day: "booked" is the basket's (nothing happened yet); the others are
# those of `reservations.selectors.billing.Situation`.
BOOKED = "booked"
PRESENT, UNMARKED = "present", "unmarked"
ABSENCE_BILLED, LATE_CANCELLATION, WALK_IN = "absence_billed", "late_cancellation", "walk_in"
SITUATIONS = frozenset({BOOKED, PRESENT, UNMARKED, ABSENCE_BILLED, LATE_CANCELLATION, WALK_IN})
AID_SITUATIONS = frozenset({BOOKED, PRESENT, UNMARKED, WALK_IN})

HUNDRED = Decimal(100)
FULL = HUNDRED


@dataclass(frozen=True)
class Bracket:
    qf_min: Decimal
    qf_max: Decimal | None
    amount: Decimal | None = None
    rate: Decimal | None = None
    floor: Decimal | None = None
    ceiling: Decimal | None = None

    def contains(self, qf: Decimal) -> bool:
        return self.qf_min <= qf and (self.qf_max is None or qf < self.qf_max)


@dataclass(frozen=True)
class Rule:
    """A tariff as the computation reads it (`Tariff.rule()` builds it)."""

    id: int | None
    method: str
    kind: str = CHILDCARE
    amount: Decimal | None = None
    rate: Decimal | None = None
    floor: Decimal | None = None
    ceiling: Decimal | None = None
    brackets: tuple[Bracket, ...] = ()
    no_qf_bracket: int | None = None
    sibling_mode: str = SIBLINGS_NONE
    reductions: tuple[tuple[int, Decimal], ...] = ()  # (position, percent), by position
    absence_billed_percent: Decimal = FULL
    late_cancellation_percent: Decimal = FULL
    walk_in_amount: Decimal | None = None


@dataclass(frozen=True)
class Computed:
    """A unit price and every input that made it, for the line's explanation."""

    amount: Decimal
    method: str
    qf_missing: bool = False
    bracket_position: int | None = None
    bracket: Bracket | None = None
    rate: Decimal | None = None
    bound: str | None = None
    base_amount: Decimal = Decimal("0.00")
    sibling_position: int | None = None
    sibling_percent: Decimal | None = None
    modifier: str | None = None
    modifier_percent: Decimal | None = None
    aid: Decimal | None = None


# --- Brackets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BracketError:
    index: int  # in the list given
    field: str
    message: str


def _qf(value: Decimal) -> str:
    if value == value.to_integral_value():
        return number_format(int(value), force_grouping=True)
    return number_format(value, decimal_pos=2, force_grouping=True)


def bracket_errors(bounds) -> list[BracketError]:
    """What is wrong with a tariff's brackets, given as (qf_min, qf_max) pairs in any
    order: they must cover every QF from 0 up, once each, the highest without upper bound."""
    if not bounds:
        return [BracketError(0, "qf_min", gettext("Give at least one QF bracket."))]
    order = sorted(range(len(bounds)), key=lambda index: bounds[index][0])
    errors = []
    for index, (qf_min, qf_max) in enumerate(bounds):
        if qf_max is not None and qf_max <= qf_min:
            errors.append(
                BracketError(
                    index, "qf_max", gettext("The upper bound must be above the lower one.")
                )
            )
    first = order[0]
    if bounds[first][0] != 0:
        errors.append(
            BracketError(first, "qf_min", gettext("The first bracket must start at QF 0."))
        )
    for previous, current in zip(order, order[1:], strict=False):
        previous_max = bounds[previous][1]
        current_min = bounds[current][0]
        if previous_max is None:
            errors.append(
                BracketError(
                    previous,
                    "qf_max",
                    gettext("Only the highest bracket may have no upper bound."),
                )
            )
        elif previous_max < current_min:
            errors.append(
                BracketError(
                    current,
                    "qf_min",
                    gettext(
                        "No bracket covers QF %(start)s to %(end)s: start this one at %(start)s."
                    )
                    % {"start": _qf(previous_max), "end": _qf(current_min)},
                )
            )
        elif previous_max > current_min:
            errors.append(
                BracketError(
                    current,
                    "qf_min",
                    gettext(
                        "This bracket overlaps the one before, which goes up to "
                        "%(end)s: start it at %(end)s."
                    )
                    % {"end": _qf(previous_max)},
                )
            )
    last = order[-1]
    if bounds[last][1] is not None:
        errors.append(
            BracketError(
                last,
                "qf_max",
                gettext("The highest bracket has no upper bound: leave it empty."),
            )
        )
    return errors


def bracket_for(brackets: tuple[Bracket, ...], qf: Decimal | None, no_qf: int | None):
    """(position from 1, bracket, qf_missing) of the QF; without one, the no-QF bracket."""
    if qf is None:
        position = min(no_qf or len(brackets), len(brackets))
        return position, brackets[position - 1], True
    for position, bracket in enumerate(brackets, start=1):
        if bracket.contains(qf):
            return position, bracket, False
    raise ValueError(f"QF {qf} falls in no bracket: the brackets were never checked.")


def bracket_text(bracket: Bracket, position: int | None) -> str:
    """« tranche 3 : 700 ≤ QF < 1 000 »."""
    if bracket.qf_max is None:
        bounds = gettext("QF ≥ %(min)s") % {"min": _qf(bracket.qf_min)}
    else:
        bounds = gettext("%(min)s ≤ QF < %(max)s") % {
            "min": _qf(bracket.qf_min),
            "max": _qf(bracket.qf_max),
        }
    if position is None:
        return bounds
    return gettext("bracket %(position)s: %(bounds)s") % {"position": position, "bounds": bounds}


# --- The steps -----------------------------------------------------------------------------


def effort(qf: Decimal | None, rate: Decimal, floor: Decimal | None, ceiling: Decimal | None):
    """(QF × rate rounded and clamped, the bound applied or None). No QF: the ceiling."""
    if qf is None:
        return money(ceiling), CEILING
    amount = money(qf * rate)
    if ceiling is not None and amount > ceiling:
        return money(ceiling), CEILING
    if floor is not None and amount < floor:
        return money(floor), FLOOR
    return amount, None


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    return money(amount * percent / HUNDRED)


def sibling_percent(reductions, position: int | None) -> Decimal | None:
    """The reduction of the child at `position`: that of the highest configured position
    not above it; None below the lowest."""
    if position is None:
        return None
    found = None
    for configured, percent in reductions:
        if configured <= position:
            found = percent
    return found


def line_amount(quantity, unit_price: Decimal) -> Decimal:
    """A line: quantity × the rounded unit price, exactly (no second rounding)."""
    return Decimal(quantity) * unit_price


def _base(rule: Rule, qf: Decimal | None) -> Computed:
    if rule.method == FLAT:
        amount = money(rule.amount)
        return Computed(amount=amount, method=FLAT, base_amount=amount)
    if rule.method == EFFORT_RATE:
        amount, bound = effort(qf, rule.rate, rule.floor, rule.ceiling)
        return Computed(
            amount=amount,
            method=EFFORT_RATE,
            qf_missing=qf is None,
            rate=rule.rate,
            bound=bound,
            base_amount=amount,
        )
    if rule.method in (QF_BRACKETS, EFFORT_RATE_BRACKETS):
        position, bracket, missing = bracket_for(rule.brackets, qf, rule.no_qf_bracket)
        if rule.method == QF_BRACKETS:
            amount, rate, bound = money(bracket.amount), None, None
        else:
            amount, bound = effort(qf, bracket.rate, bracket.floor, bracket.ceiling)
            rate = bracket.rate
        return Computed(
            amount=amount,
            method=rule.method,
            qf_missing=missing,
            bracket_position=position,
            bracket=bracket,
            rate=rate,
            bound=bound,
            base_amount=amount,
        )
    raise ValueError(f"Unknown tariff method {rule.method!r}")


def compute(
    rule: Rule | None,
    *,
    fallback: Decimal = Decimal("0.00"),
    qf: Decimal | None = None,
    situation: str = BOOKED,
    sibling_rank: int | None = None,
    sibling_count: int | None = None,
    aid: Decimal | None = None,
) -> Computed:
    """The unit price of one line. `rule` None: the unit's own price `fallback` (absences
    and late cancellations billed in full, no reduction). `aid`: the total aid of the day
    for this line (the caller gives it only to childcare lines, within the caps)."""
    if situation not in SITUATIONS:
        raise ValueError(f"Unknown situation {situation!r}")
    if rule is None:
        amount = money(fallback)
        computed = Computed(amount=amount, method=UNIT_PRICE, base_amount=amount)
        rule = Rule(id=None, method=UNIT_PRICE)
    else:
        computed = _base(rule, qf)
    amount = computed.amount
    changes = {}

    walk_in_price = situation == WALK_IN and rule.walk_in_amount is not None
    if rule.sibling_mode != SIBLINGS_NONE and not walk_in_price:
        position = sibling_rank if rule.sibling_mode == SIBLINGS_RANK else sibling_count
        percent = sibling_percent(rule.reductions, position)
        changes["sibling_position"] = position
        if percent:
            amount = money(amount * (HUNDRED - percent) / HUNDRED)
            changes["sibling_percent"] = percent

    if situation == ABSENCE_BILLED:
        percent = rule.absence_billed_percent
        amount = percent_of(amount, percent)
        changes.update(modifier=ABSENCE_BILLED, modifier_percent=percent)
    elif situation == LATE_CANCELLATION:
        percent = rule.late_cancellation_percent
        amount = percent_of(amount, percent)
        changes.update(modifier=LATE_CANCELLATION, modifier_percent=percent)
    elif situation == WALK_IN:
        changes["modifier"] = WALK_IN
        if walk_in_price:
            amount = money(rule.walk_in_amount)

    if aid and situation in AID_SITUATIONS and amount > 0:
        deducted = min(money(aid), amount)
        amount = money(amount - deducted)
        changes["aid"] = deducted

    return replace(computed, amount=amount, **changes)
