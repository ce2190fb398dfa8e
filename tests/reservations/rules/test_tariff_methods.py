"""The tariff methods, pure: every method and step as a table, then properties that must
hold for any input (Hypothesis). No database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reservations import tariff_methods as m

D = Decimal

BRACKETS = (
    m.Bracket(D("0"), D("500"), amount=D("4.00")),
    m.Bracket(D("500"), D("700"), amount=D("6.00")),
    m.Bracket(D("700"), D("1000"), amount=D("8.00")),
    m.Bracket(D("1000"), None, amount=D("10.00")),
)
EFFORT_BRACKETS = (
    m.Bracket(D("0"), D("800"), rate=D("0.005"), floor=D("1.00"), ceiling=D("3.00")),
    m.Bracket(D("800"), None, rate=D("0.004"), floor=D("3.00"), ceiling=D("6.00")),
)


def rule(method, **fields):
    return m.Rule(id=1, method=method, **fields)


FLAT = rule(m.FLAT, amount=D("12.20"))
QF = rule(m.QF_BRACKETS, brackets=BRACKETS)
QF_NO_QF_2 = rule(m.QF_BRACKETS, brackets=BRACKETS, no_qf_bracket=2)
EFFORT = rule(m.EFFORT_RATE, rate=D("0.0035"), floor=D("1.50"), ceiling=D("5.00"))
EFFORT_B = rule(m.EFFORT_RATE_BRACKETS, brackets=EFFORT_BRACKETS)


@pytest.mark.parametrize(
    ("tariff", "qf", "amount", "position", "missing", "bound"),
    [
        (FLAT, None, "12.20", None, False, None),
        (FLAT, D("850"), "12.20", None, False, None),
        # Half-open brackets: min ≤ QF < max.
        (QF, D("0"), "4.00", 1, False, None),
        (QF, D("499.99"), "4.00", 1, False, None),
        (QF, D("500"), "6.00", 2, False, None),
        (QF, D("699.99"), "6.00", 2, False, None),
        (QF, D("700"), "8.00", 3, False, None),
        (QF, D("1000"), "10.00", 4, False, None),
        (QF, D("99999"), "10.00", 4, False, None),
        # No valid QF: the highest bracket, or the one the tariff names.
        (QF, None, "10.00", 4, True, None),
        (QF_NO_QF_2, None, "6.00", 2, True, None),
        # Effort rate: QF × rate, half up, clamped; no QF → the ceiling.
        (EFFORT, D("870"), "3.05", None, False, None),
        (EFFORT, D("100"), "1.50", None, False, m.FLOOR),
        (EFFORT, D("2000"), "5.00", None, False, m.CEILING),
        (EFFORT, D("1428.57"), "5.00", None, False, None),
        (EFFORT, None, "5.00", None, True, m.CEILING),
        # Effort rate per bracket: each its own rate, floor and ceiling.
        (EFFORT_B, D("400"), "2.00", 1, False, None),
        (EFFORT_B, D("100"), "1.00", 1, False, m.FLOOR),
        (EFFORT_B, D("799.99"), "3.00", 1, False, m.CEILING),
        (EFFORT_B, D("800"), "3.20", 2, False, None),
        (EFFORT_B, D("5000"), "6.00", 2, False, m.CEILING),
        (EFFORT_B, None, "6.00", 2, True, m.CEILING),
    ],
)
def test_each_method_prices_as_its_table_says(tariff, qf, amount, position, missing, bound):
    computed = m.compute(tariff, qf=qf)

    assert computed.amount == D(amount)
    assert computed.base_amount == D(amount)
    assert computed.method == tariff.method
    assert computed.bracket_position == position
    assert computed.qf_missing is missing
    assert computed.bound == bound


def test_without_a_tariff_the_units_own_price_applies():
    computed = m.compute(None, fallback=D("7.35"), qf=D("300"))

    assert (computed.method, computed.amount, computed.qf_missing) == (
        m.UNIT_PRICE,
        D("7.35"),
        False,
    )


SIBLINGS_RANK = rule(
    m.FLAT,
    amount=D("10.00"),
    sibling_mode=m.SIBLINGS_RANK,
    reductions=((2, D("10")), (3, D("25"))),
)
SIBLINGS_COUNT = rule(
    m.FLAT,
    amount=D("10.00"),
    sibling_mode=m.SIBLINGS_COUNT,
    reductions=((2, D("15")),),
)


@pytest.mark.parametrize(
    ("tariff", "rank", "count", "amount", "position", "percent"),
    [
        (SIBLINGS_RANK, 1, 3, "10.00", 1, None),
        (SIBLINGS_RANK, 2, 3, "9.00", 2, D("10")),
        (SIBLINGS_RANK, 3, 3, "7.50", 3, D("25")),
        # Beyond the highest position given: its reduction.
        (SIBLINGS_RANK, 5, 5, "7.50", 5, D("25")),
        # By number present: every child of the day gets the same reduction.
        (SIBLINGS_COUNT, 1, 1, "10.00", 1, None),
        (SIBLINGS_COUNT, 1, 2, "8.50", 2, D("15")),
        (SIBLINGS_COUNT, 2, 4, "8.50", 4, D("15")),
        (FLAT, 3, 3, "12.20", None, None),
    ],
)
def test_sibling_reductions_by_rank_or_by_number_present(
    tariff, rank, count, amount, position, percent
):
    computed = m.compute(tariff, sibling_rank=rank, sibling_count=count)

    assert computed.amount == D(amount)
    assert computed.sibling_position == position
    assert computed.sibling_percent == percent
    assert computed.base_amount == tariff.amount


MODIFIED = rule(
    m.FLAT,
    amount=D("9.99"),
    absence_billed_percent=D("50"),
    late_cancellation_percent=D("75"),
    walk_in_amount=D("15.00"),
    sibling_mode=m.SIBLINGS_RANK,
    reductions=((2, D("10")),),
)


@pytest.mark.parametrize(
    ("tariff", "situation", "amount", "modifier", "percent"),
    [
        (FLAT, m.BOOKED, "12.20", None, None),
        (FLAT, m.PRESENT, "12.20", None, None),
        (FLAT, m.UNMARKED, "12.20", None, None),
        # Billed absences and late cancellations: 100 % unless the tariff says otherwise.
        (FLAT, m.ABSENCE_BILLED, "12.20", m.ABSENCE_BILLED, D("100")),
        (FLAT, m.LATE_CANCELLATION, "12.20", m.LATE_CANCELLATION, D("100")),
        (MODIFIED, m.ABSENCE_BILLED, "5.00", m.ABSENCE_BILLED, D("50")),  # 4.995 → 5.00
        (MODIFIED, m.LATE_CANCELLATION, "7.49", m.LATE_CANCELLATION, D("75")),  # 7.4925
        # Come unbooked: the tariff's own price, or the usual one.
        (MODIFIED, m.WALK_IN, "15.00", m.WALK_IN, None),
        (FLAT, m.WALK_IN, "12.20", m.WALK_IN, None),
        (None, m.ABSENCE_BILLED, "3.00", m.ABSENCE_BILLED, D("100")),
    ],
)
def test_modifiers_of_absences_late_cancellations_and_walk_ins(
    tariff, situation, amount, modifier, percent
):
    computed = m.compute(tariff, fallback=D("3.00"), situation=situation)

    assert computed.amount == D(amount)
    assert (computed.modifier, computed.modifier_percent) == (modifier, percent)


def test_the_sibling_reduction_comes_before_the_modifier_each_rounded():
    # 9.99 − 10 % = 8.991 → 8.99; 50 % of it = 4.495 → 4.50 (not 9.99 × 45 % = 4.4955).
    computed = m.compute(MODIFIED, situation=m.ABSENCE_BILLED, sibling_rank=2)

    assert computed.amount == D("4.50")
    assert computed.sibling_percent == D("10")


def test_a_walk_in_price_takes_no_sibling_reduction():
    computed = m.compute(MODIFIED, situation=m.WALK_IN, sibling_rank=2)

    assert computed.amount == D("15.00")
    assert computed.sibling_percent is None


@pytest.mark.parametrize(
    ("situation", "aid", "amount", "deducted"),
    [
        (m.PRESENT, D("2.50"), "9.70", D("2.50")),
        (m.BOOKED, D("2.50"), "9.70", D("2.50")),
        (m.WALK_IN, D("2.50"), "9.70", D("2.50")),
        # Never below zero.
        (m.PRESENT, D("20.00"), "0.00", D("12.20")),
        # Not on a billed absence nor a late cancellation.
        (m.ABSENCE_BILLED, D("2.50"), "12.20", None),
        (m.LATE_CANCELLATION, D("2.50"), "12.20", None),
        (m.PRESENT, None, "12.20", None),
    ],
)
def test_an_aid_is_deducted_from_days_come_never_below_zero(situation, aid, amount, deducted):
    computed = m.compute(FLAT, situation=situation, aid=aid)

    assert computed.amount == D(amount)
    assert computed.aid == deducted


def test_an_unknown_situation_or_method_is_a_bug_not_a_price():
    with pytest.raises(ValueError):
        m.compute(FLAT, situation="holiday")
    with pytest.raises(ValueError):
        m.compute(rule("duration"), qf=D("1"))


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ([(D(0), D(500)), (D(500), None)], []),
        ([(D(500), None), (D(0), D(500))], []),  # any order
        ([(D(0), None)], []),
        ([], [(0, "qf_min")]),
        ([(D(10), None)], [(0, "qf_min")]),
        ([(D(0), D(500)), (D(600), None)], [(1, "qf_min")]),  # gap
        ([(D(0), D(500)), (D(400), None)], [(1, "qf_min")]),  # overlap
        ([(D(0), D(500)), (D(500), D(900))], [(1, "qf_max")]),  # closed top
        ([(D(0), None), (D(500), None)], [(0, "qf_max")]),  # open bracket below another
        ([(D(0), D(0)), (D(0), None)], [(0, "qf_max")]),  # an empty bracket
    ],
)
def test_brackets_must_cover_every_qf_from_zero_once(bounds, expected):
    errors = m.bracket_errors(bounds)

    assert sorted((error.index, error.field) for error in errors) == sorted(expected)
    assert all(error.message for error in errors)


def test_a_gap_is_named_in_the_message():
    (error,) = m.bracket_errors([(D(0), D(500)), (D(1200), None)])

    assert "500" in error.message and "1200" in error.message.replace("\xa0", "").replace(" ", "")


def test_a_line_is_quantity_times_the_rounded_unit_price_exactly():
    unit_price = m.compute(EFFORT, qf=D("870")).amount

    assert unit_price == D("3.05")
    assert m.line_amount(17, unit_price) == D("51.85")
    assert m.line_amount(17, D("4.15")) == D("70.55")


# --- Properties -------------------------------------------------------------------------

money_values = st.decimals(min_value=D("0.00"), max_value=D("500.00"), places=2)
qf_values = st.one_of(st.none(), st.decimals(min_value=D("0"), max_value=D("99999.99"), places=2))
rates = st.decimals(min_value=D("0.000001"), max_value=D("0.05"), places=6)


@given(qf=qf_values, rate=rates, floor=money_values, ceiling=money_values)
def test_an_effort_rate_always_falls_within_its_floor_and_ceiling(qf, rate, floor, ceiling):
    floor, ceiling = min(floor, ceiling), max(floor, ceiling)
    tariff = rule(m.EFFORT_RATE, rate=rate, floor=floor, ceiling=ceiling)

    computed = m.compute(tariff, qf=qf)

    assert floor <= computed.amount <= ceiling
    assert computed.amount == computed.amount.quantize(D("0.01"))
    if qf is None:
        assert computed.amount == ceiling and computed.bound == m.CEILING


@given(
    qf=qf_values,
    cuts=st.lists(
        st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2), unique=True, max_size=6
    ),
    prices=st.lists(money_values, min_size=7, max_size=7),
)
def test_contiguous_brackets_are_accepted_and_every_qf_finds_exactly_one(qf, cuts, prices):
    bounds = list(zip([D(0), *sorted(cuts)], [*sorted(cuts), None], strict=True))
    brackets = tuple(
        m.Bracket(low, high, amount=price)
        for (low, high), price in zip(bounds, prices, strict=False)
    )

    assert m.bracket_errors(bounds) == []
    computed = m.compute(rule(m.QF_BRACKETS, brackets=brackets), qf=qf)
    if qf is not None:
        (containing,) = [
            b for b in brackets if b.qf_min <= qf and (b.qf_max is None or qf < b.qf_max)
        ]
        assert computed.amount == containing.amount
    else:
        assert computed.amount == brackets[-1].amount and computed.qf_missing


@given(
    cuts=st.lists(
        st.decimals(min_value=D("1"), max_value=D("5000"), places=0),
        unique=True,
        min_size=2,
        max_size=5,
    ),
    shift=st.one_of(
        st.decimals(min_value=D("-50"), max_value=D("-0.01"), places=2),
        st.decimals(min_value=D("0.01"), max_value=D("50"), places=2),
    ),
    which=st.integers(min_value=1),
)
def test_a_gap_or_an_overlap_between_two_brackets_is_refused(cuts, shift, which):
    cuts = sorted(cuts)
    bounds = list(zip([D(0), *cuts], [*cuts, None], strict=True))
    index = 1 + which % (len(bounds) - 1)
    low, high = bounds[index]
    bounds[index] = (low + shift, high)
    if high is not None and low + shift >= high:
        bounds[index] = (low + shift, low + shift + 1)

    assert m.bracket_errors(bounds) != []


@given(
    amount=money_values,
    percent=st.decimals(min_value=D("0"), max_value=D("100"), places=2),
    rank=st.integers(min_value=1, max_value=8),
    situation=st.sampled_from(sorted(m.SITUATIONS)),
    aid=st.one_of(st.none(), money_values),
)
def test_any_price_is_a_rounded_amount_between_zero_and_its_base(
    amount, percent, rank, situation, aid
):
    tariff = rule(
        m.FLAT,
        amount=amount,
        sibling_mode=m.SIBLINGS_RANK,
        reductions=((2, percent),),
        absence_billed_percent=percent,
        late_cancellation_percent=percent,
    )

    computed = m.compute(tariff, situation=situation, sibling_rank=rank, aid=aid)

    assert D("0.00") <= computed.amount <= computed.base_amount
    assert computed.amount == computed.amount.quantize(D("0.01"))


@given(
    quantity=st.integers(min_value=0, max_value=10_000),
    qf=st.decimals(min_value=D("0"), max_value=D("9999.99"), places=2),
)
def test_a_line_is_always_quantity_times_unit_price_to_the_cent(quantity, qf):
    unit_price = m.compute(EFFORT, qf=qf).amount

    line = m.line_amount(quantity, unit_price)

    assert line == quantity * unit_price
    assert line == line.quantize(D("0.01"))


def test_half_up_not_bankers_rounding():
    # Python's round() gives 3.04 for 870 × 0.35 %; a person counting by hand, 3.05.
    assert m.effort(D("870"), D("0.0035"), None, None) == (D("3.05"), None)
    assert m.percent_of(D("0.05"), D("50")) == D("0.03")
