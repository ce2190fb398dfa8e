"""The one pricing door: prices_for reads the unit's tariffs, the family's QF on the day,
its residence, the siblings booked and its aids, and says why in words."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from portal_features.models import QuotientRecord
from portal_features.quotients.services import quotient_record_add
from reservations.choices import Attendance, ReservationStatus
from reservations.models import Aid, Reservation, SiblingReduction, Tariff, TariffBracket
from reservations.pricing import (
    ABSENCE_BILLED,
    LATE_CANCELLATION,
    PRESENT,
    WALK_IN,
    PriceResult,
    PricingContext,
    prices_for,
    total,
)
from tests import factories

from ..conftest import WEDNESDAY

pytestmark = pytest.mark.django_db

D = Decimal
SEPTEMBER = datetime.date(2026, 9, 1)


def tariff(unit, method="flat", brackets=(), reductions=(), **fields):
    fields.setdefault("valid_from", SEPTEMBER)
    created = Tariff.objects.create(unit=unit, method=method, **fields)
    for qf_min, qf_max, values in brackets:
        TariffBracket.objects.create(tariff=created, qf_min=qf_min, qf_max=qf_max, **values)
    for position, percent in reductions:
        SiblingReduction.objects.create(tariff=created, position=position, percent=percent)
    return created


def quotient(family, value, start=SEPTEMBER, end=None, source="caf"):
    return QuotientRecord.objects.create(
        family=family, value=value, valid_from=start, valid_until=end, source=source
    )


def brackets_tariff(unit, **fields):
    return tariff(
        unit,
        "qf_brackets",
        brackets=[
            (0, 500, {"amount": "4.00"}),
            (500, 700, {"amount": "6.00"}),
            (700, 1000, {"amount": "8.00"}),
            (1000, None, {"amount": "10.00"}),
        ],
        **fields,
    )


def price(world, day=WEDNESDAY, situation="booked", child=None, family=None, **kwargs):
    return prices_for(
        family=family or world.family,
        child=child or world.child,
        unit=world.unit,
        day=day,
        situation=situation,
        **kwargs,
    )


def french(result: PriceResult) -> str:
    with translation.override("fr"):
        return result.explanation()


def test_without_a_tariff_the_units_own_price_is_one_childcare_line(world):
    (result,) = price(world)

    assert (result.kind, result.method, result.amount) == ("childcare", "unit_price", D("12.20"))
    assert result.tariff_id is None and result.qf is None
    assert french(result) == "Prix de l'unité (pas de tarif pour ce jour)"


def test_a_meal_tariff_makes_the_meal_a_line_of_its_own(world):
    care = tariff(world.unit, amount="9.00")
    meal = tariff(world.unit, kind="meal", amount="3.20")

    results = price(world)

    assert [(r.kind, r.amount, r.tariff_id) for r in results] == [
        ("childcare", D("9.00"), care.pk),
        ("meal", D("3.20"), meal.pk),
    ]
    assert total(results) == D("12.20")


@pytest.mark.parametrize(
    ("value", "amount", "bracket"),
    [
        ("499.99", "4.00", "tranche 1 : 0 ≤ QF < 500"),
        ("500.00", "6.00", "tranche 2 : 500 ≤ QF < 700"),
        ("850.00", "8.00", "tranche 3 : 700 ≤ QF < 1\u00a0000"),
        ("1000.00", "10.00", "tranche 4 : QF ≥ 1\u00a0000"),
    ],
)
def test_qf_brackets_are_half_open_and_the_line_says_which(world, value, amount, bracket):
    brackets_tariff(world.unit)
    quotient(world.family, value)

    (result,) = price(world)

    assert result.amount == D(amount)
    assert (result.qf, result.qf_source, result.qf_missing) == (D(value), "caf", False)
    with translation.override("fr"):
        assert result.bracket == bracket
    assert bracket in french(result)


def test_without_a_valid_qf_the_default_bracket_applies_and_the_line_says_so(world):
    brackets_tariff(world.unit)
    quotient(world.family, "400.00", end=WEDNESDAY - datetime.timedelta(days=1))  # expired
    second = factories.FamilyFactory()

    (highest,) = price(world)
    Tariff.objects.update(no_qf_bracket=2)
    (chosen,) = price(world, family=second, child=factories.ChildFactory(family=second))

    assert (highest.amount, highest.qf_missing, highest.qf) == (D("10.00"), True, None)
    assert (chosen.amount, chosen.qf_missing) == (D("6.00"), True)
    assert french(highest).startswith("Sans QF valide ce jour – tranche 4 : QF ≥ 1\u00a0000")


def test_effort_rate_with_floor_ceiling_and_no_qf(world):
    tariff(world.unit, "effort_rate", rate="0.0035", floor="1.50", ceiling="5.00")
    other = factories.FamilyFactory()
    other_child = factories.ChildFactory(family=other)
    quotient(world.family, "870.00", source="attestation")

    (rated,) = price(world)
    (ceiling,) = price(world, family=other, child=other_child)

    assert (rated.amount, rated.rate, rated.bound) == (D("3.05"), D("0.0035"), None)
    assert french(rated) == "QF 870 (attestation) – QF × 0,0035"
    assert (ceiling.amount, ceiling.bound, ceiling.qf_missing) == (D("5.00"), "ceiling", True)
    assert french(ceiling) == "Sans QF valide ce jour – plafond appliqué"


def test_effort_rate_per_bracket(world):
    tariff(
        world.unit,
        "effort_rate_brackets",
        brackets=[
            (0, 800, {"rate": "0.005", "floor": "1.00", "ceiling": "3.00"}),
            (800, None, {"rate": "0.004", "floor": "3.00", "ceiling": "6.00"}),
        ],
    )
    quotient(world.family, "900.00")

    (result,) = price(world)

    assert (result.amount, result.rate, result.bound) == (D("3.60"), D("0.004"), None)
    with translation.override("fr"):
        assert result.bracket == "tranche 2 : QF ≥ 800"


def test_residents_and_non_residents_have_their_own_grid(world):
    tariff(world.unit, residence="resident", amount="8.00")
    tariff(world.unit, residence="non_resident", amount="14.00")
    outsider = factories.FamilyFactory(is_resident=False)

    (resident,) = price(world)
    (non_resident,) = price(world, family=outsider, child=factories.ChildFactory(family=outsider))

    assert (resident.amount, non_resident.amount) == (D("8.00"), D("14.00"))


def test_a_tariff_for_everyone_applies_where_no_residence_grid_does(world):
    tariff(
        world.unit,
        residence="non_resident",
        amount="14.00",
        valid_until=datetime.date(2026, 12, 31),
    )
    tariff(world.unit, residence="all", amount="9.00", valid_from=datetime.date(2027, 1, 1))
    outsider = factories.FamilyFactory(is_resident=False)

    (before,) = price(world)  # a resident, November: no tariff for them
    (january,) = price(world, day=datetime.date(2027, 1, 6))

    assert (before.method, before.amount) == ("unit_price", D("12.20"))
    assert january.amount == D("9.00")
    (outside,) = price(world, family=outsider, child=factories.ChildFactory(family=outsider))
    assert outside.amount == D("14.00")


def test_a_tariff_applies_from_its_date(world):
    tariff(world.unit, amount="9.00", valid_until=datetime.date(2026, 12, 31))
    tariff(world.unit, amount="9.50", valid_from=datetime.date(2027, 1, 1))

    assert price(world, day=datetime.date(2026, 12, 30))[0].amount == D("9.00")
    assert price(world, day=datetime.date(2027, 1, 6))[0].amount == D("9.50")


def _book(world, family, child, day=WEDNESDAY, **fields):
    return Reservation.objects.create(
        family=family,
        child=child,
        unit=world.unit,
        slot=world.slot(day),
        day=day,
        status=fields.pop("status", ReservationStatus.ACCEPTED),
        **fields,
    )


def test_sibling_rank_among_the_children_booked_that_day_eldest_first(world):
    tariff(world.unit, amount="10.00", sibling_mode="rank", reductions=[(2, 10), (3, 20)])
    family = world.family
    eldest = world.child  # born 2018-05-14
    youngest = factories.ChildFactory(family=family, birth_date=datetime.date(2021, 1, 1))
    middle = factories.ChildFactory(family=family, birth_date=datetime.date(2019, 6, 1))
    for child in (eldest, middle, youngest):
        _book(world, family, child)
    not_booked = factories.ChildFactory(family=family, birth_date=datetime.date(2017, 1, 1))

    ranks = {
        child: price(world, child=child)[0] for child in (eldest, middle, youngest, not_booked)
    }

    assert [(ranks[c].sibling_position, ranks[c].amount) for c in (eldest, middle, youngest)] == [
        (1, D("10.00")),
        (2, D("9.00")),
        (3, D("8.00")),
    ]
    # A child priced before being booked is counted too (the basket, a simulation).
    assert ranks[not_booked].sibling_position == 1
    assert ranks[not_booked].sibling_mode == "rank"
    assert "enfant n° 2 : −10 %" in french(ranks[middle])


def test_sibling_reduction_by_number_of_children_present_that_day(world):
    tariff(world.unit, amount="10.00", sibling_mode="count_same_day", reductions=[(3, 30)])
    family = world.family
    second = factories.ChildFactory(family=family)
    third = factories.ChildFactory(family=family)
    _book(world, family, world.child)
    _book(world, family, second)
    absent = _book(world, family, third, attendance=Attendance.ABSENT)

    (two_present,) = price(world, child=second)
    absent.attendance = Attendance.PRESENT
    absent.save()
    (three_present,) = price(world, child=second)

    assert (two_present.sibling_position, two_present.amount) == (2, D("10.00"))
    assert (three_present.sibling_position, three_present.amount) == (3, D("7.00"))
    assert "3 enfants présents : −30 %" in french(three_present)


def test_another_households_bookings_are_not_siblings(world):
    tariff(world.unit, amount="10.00", sibling_mode="rank", reductions=[(2, 50)])
    other = factories.FamilyFactory()
    elder = factories.ChildFactory(family=other, birth_date=datetime.date(2015, 1, 1))
    world.child.memberships.create(family=other)
    _book(world, other, elder)

    (result,) = price(world)

    assert (result.sibling_position, result.amount) == (1, D("10.00"))


@pytest.mark.parametrize(
    ("situation", "amount", "modifier", "words"),
    [
        (PRESENT, "10.00", None, "Tarif forfaitaire"),
        (ABSENCE_BILLED, "5.00", "absence_billed", "absence facturée : 50 % du prix"),
        (LATE_CANCELLATION, "10.00", "late_cancellation", "annulation tardive : 100 % du prix"),
        (WALK_IN, "15.00", "walk_in", "venu sans réservation"),
    ],
)
def test_situations_apply_the_tariffs_modifiers(world, situation, amount, modifier, words):
    tariff(world.unit, amount="10.00", absence_billed_percent=50, walk_in_amount="15.00")

    (result,) = price(world, situation=situation)

    assert (result.amount, result.modifier) == (D(amount), modifier)
    assert words in french(result)


def test_an_aid_is_deducted_within_its_monthly_cap(world):
    tariff(world.unit, amount="10.00")
    tariff(world.unit, kind="meal", amount="3.00")
    Aid.objects.create(
        family=world.family, label="CAF", amount="4.00", valid_from=SEPTEMBER, max_days_per_month=2
    )
    days = [datetime.date(2026, 12, d) for d in (2, 9, 16)] + [datetime.date(2027, 1, 6)]
    context = PricingContext.load(
        unit_ids=[world.unit.pk], family_ids=[world.family.pk], start=days[0], end=days[-1]
    )

    lines = [price(world, day=day, context=context) for day in days]
    again = price(world, day=days[0], context=context)  # the same day priced twice

    assert [(care.amount, care.aid) for care, _meal in lines] == [
        (D("6.00"), D("4.00")),
        (D("6.00"), D("4.00")),
        (D("10.00"), None),
        (D("6.00"), D("4.00")),  # a new month
    ]
    assert all(meal.aid is None and meal.amount == D("3.00") for _care, meal in lines)
    assert again[0].aid == D("4.00")
    assert french(lines[0][0]).endswith("aide CAF −4,00\u00a0€")


def test_an_aid_for_another_activity_is_not_deducted(world):
    Aid.objects.create(
        family=world.family,
        label="CCAS",
        amount="4.00",
        valid_from=SEPTEMBER,
        activity=factories.ActivityFactory(),
    )

    (result,) = price(world)

    assert (result.amount, result.aid) == (D("12.20"), None)


def test_the_qf_is_read_as_of_the_service_day(world):
    brackets_tariff(world.unit)
    quotient(world.family, "450.00", end=datetime.date(2026, 12, 14))
    quotient(world.family, "750.00", start=datetime.date(2026, 12, 15))
    context = PricingContext.load(
        unit_ids=[world.unit.pk],
        family_ids=[world.family.pk],
        start=datetime.date(2026, 12, 1),
        end=datetime.date(2026, 12, 31),
    )

    before = price(world, day=datetime.date(2026, 12, 9), context=context)[0]
    after = price(world, day=datetime.date(2026, 12, 16), context=context)[0]

    assert (before.qf, before.amount) == (D("450.00"), D("4.00"))
    assert (after.qf, after.amount) == (D("750.00"), D("8.00"))


def test_a_new_qf_leaves_the_qf_known_when_a_month_was_billed(world, django_user_model):
    brackets_tariff(world.unit)
    quotient_record_add(
        family=world.family,
        value=D("450.00"),
        valid_from=SEPTEMBER,
        source="caf",
        now=timezone.now() - datetime.timedelta(days=10),
    )
    billed_at = timezone.now() - datetime.timedelta(days=5)
    quotient_record_add(
        family=world.family,
        value=D("1200.00"),
        valid_from=datetime.date(2026, 11, 1),
        source="staff",
    )

    def november(known_at):
        context = PricingContext.load(
            unit_ids=[world.unit.pk],
            family_ids=[world.family.pk],
            start=WEDNESDAY,
            end=WEDNESDAY,
            quotients_known_at=known_at,
        )
        return price(world, context=context)[0]

    assert (november(None).qf, november(None).amount) == (D("1200.00"), D("10.00"))
    assert (november(billed_at).qf, november(billed_at).amount) == (D("450.00"), D("4.00"))


def test_price_results_are_frozen_as_json_and_read_back(world):
    tariff(world.unit, amount="10.00", sibling_mode="rank", reductions=[(1, 5)])
    Aid.objects.create(family=world.family, label="CAF", amount="1.25", valid_from=SEPTEMBER)

    (result,) = price(world, situation=ABSENCE_BILLED)
    (present,) = price(world)
    data = present.as_json()

    assert data["amount"] == "8.25" and data["aid"] == "1.25" and data["aid_label"] == "CAF"
    assert data["sibling_percent"] == "5.00" and data["qf"] is None
    assert PriceResult.from_json(data) == present
    assert PriceResult.from_json(result.as_json()) == result
    assert PriceResult.from_json({**data, "added_later": 1}) == present


def test_a_context_prices_only_what_it_loaded(world):
    context = PricingContext.load(
        unit_ids=[world.unit.pk], family_ids=[], start=WEDNESDAY, end=WEDNESDAY
    )

    with pytest.raises(ValueError):
        price(world, context=context)


def _month_of_families(world, count):
    families = []
    days = [datetime.date(2026, 12, d) for d in (2, 9, 16, 23, 30)]
    for _ in range(count):
        family, _guardian, kids = world.add_family(children=2)
        quotient(family, "650.00")
        Aid.objects.create(
            family=family, label="CAF", amount="1.00", valid_from=SEPTEMBER, max_days_per_month=3
        )
        for child in kids:
            for day in days:
                _book(world, family, child, day=day)
        families.append((family, kids))
    return families, days


def _priced_month(world, families, days):
    with CaptureQueriesContext(connection) as queries:
        context = PricingContext.load(
            unit_ids=[world.unit.pk],
            family_ids=[family.pk for family, _kids in families],
            start=days[0],
            end=days[-1],
        )
        amounts = [
            total(
                prices_for(family=family, child=child, unit=world.unit.pk, day=day, context=context)
            )
            for family, kids in families
            for child in kids
            for day in days
        ]
    return len(queries), amounts


def test_loading_and_pricing_a_month_costs_the_same_queries_for_1_or_20_families(world):
    tariff(
        world.unit,
        "qf_brackets",
        residence="resident",
        brackets=[(0, 700, {"amount": "5.00"}), (700, None, {"amount": "7.00"})],
        sibling_mode="rank",
        reductions=[(2, 10)],
    )
    tariff(world.unit, kind="meal", amount="3.00")

    one = _month_of_families(world, 1)
    one_count, one_amounts = _priced_month(world, *one)
    twenty = _month_of_families(world, 19)
    twenty_families = (one[0] + twenty[0], one[1])
    twenty_count, twenty_amounts = _priced_month(world, *twenty_families)

    assert one_count == twenty_count == 9
    assert len(twenty_amounts) == 20 * 2 * 5
    # Eldest: 5.00 + 3.00; second child 4.50 + 3.00; less the aid on 3 days a month.
    assert one_amounts == [D("7.00")] * 3 + [D("8.00")] * 2 + [D("7.50")] * 5
