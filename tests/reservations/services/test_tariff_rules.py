"""Tariffs as staff set them: every rule checked next to its field, in French, brackets
checked together on save, and overlapping dates refused by the database itself."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from portal_features.models import QuotientRecord
from reservations.models import SiblingReduction, Tariff, TariffBracket
from reservations.services.tariffs import tariff_save
from tests import factories

pytestmark = pytest.mark.django_db

SEPTEMBER = datetime.date(2026, 9, 1)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="exclusion constraints exist on PostgreSQL only"
)


def errors_of(call) -> dict:
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def new_tariff(world, **fields):
    fields.setdefault("valid_from", SEPTEMBER)
    fields.setdefault("method", "flat")
    fields.setdefault("amount", Decimal("9.00"))
    return Tariff(unit=world.unit, **fields)


def test_each_method_asks_for_its_own_fields(world):
    assert errors_of(new_tariff(world, amount=None).full_clean) == {
        "amount": ["Indiquez le prix forfaitaire."]
    }
    assert errors_of(new_tariff(world, method="effort_rate", amount=None).full_clean) == {
        "rate": ["Indiquez le taux d'effort."],
        "ceiling": ["Indiquez le plafond : c'est aussi le prix sans QF valide."],
    }
    errors = errors_of(
        new_tariff(
            world,
            method="effort_rate",
            rate=Decimal("0.004"),
            floor=Decimal("6"),
            ceiling=Decimal("5"),
        ).full_clean
    )
    assert errors["floor"] == ["Le plancher ne peut pas dépasser le plafond."]
    errors = errors_of(new_tariff(world, valid_until=datetime.date(2026, 8, 1)).full_clean)
    assert errors["valid_until"] == ["La fin de validité ne peut pas précéder son début."]
    errors = errors_of(new_tariff(world, absence_billed_percent=Decimal("120")).full_clean)
    assert "absence_billed_percent" in errors


@pytest.mark.parametrize(
    ("existing", "new", "clash"),
    [
        ({}, {}, True),
        (
            {"valid_until": datetime.date(2026, 12, 31)},
            {"valid_from": datetime.date(2027, 1, 1)},
            False,
        ),
        (
            {"valid_until": datetime.date(2026, 12, 31)},
            {"valid_from": datetime.date(2026, 12, 31)},
            True,
        ),
        ({}, {"kind": "meal"}, False),
        ({"residence": "resident"}, {"residence": "non_resident"}, False),
        ({"residence": "resident"}, {"residence": "all"}, True),
        ({"residence": "all"}, {"residence": "non_resident"}, True),
    ],
)
def test_two_tariffs_never_apply_to_the_same_families_on_the_same_day(world, existing, new, clash):
    new_tariff(world, **existing).save()
    tariff = new_tariff(world, **new)

    if clash:
        errors = errors_of(tariff.full_clean)
        assert list(errors) == ["valid_from"]
        assert errors["valid_from"][0].startswith("Un autre tarif de cette prestation s'applique")
    else:
        tariff.full_clean()


def bracket(qf_min, qf_max, amount="5.00", **fields):
    return TariffBracket(
        qf_min=Decimal(qf_min),
        qf_max=None if qf_max is None else Decimal(qf_max),
        amount=None if amount is None else Decimal(amount),
        **fields,
    )


def test_brackets_are_saved_with_their_tariff_when_they_cover_every_qf(world):
    tariff = new_tariff(world, method="qf_brackets", amount=None)

    tariff_save(
        tariff=tariff,
        brackets=[bracket(700, None, "8.00"), bracket(0, 700, "4.00")],
        reductions=[],
    )

    assert tariff.pk is not None
    assert list(tariff.brackets.values_list("qf_min", "qf_max", "amount")) == [
        (Decimal("0.00"), Decimal("700.00"), Decimal("4.00")),
        (Decimal("700.00"), None, Decimal("8.00")),
    ]


@pytest.mark.parametrize(
    ("brackets", "message"),
    [
        (
            [bracket(0, 500), bracket(600, None)],
            "Tranche 2 : Aucune tranche ne couvre les QF de 500",
        ),
        (
            [bracket(0, 500), bracket(400, None)],
            "Tranche 2 : Cette tranche chevauche la précédente",
        ),
        ([bracket(0, 500), bracket(500, 900)], "Tranche 2 : La tranche la plus haute n'a pas"),
        ([bracket(100, None)], "Tranche 1 : La première tranche doit commencer au QF 0."),
        ([bracket(0, None, amount=None)], "Tranche 1 : Indiquez le prix de cette tranche."),
        ([], "Tranche 1 : Indiquez au moins une tranche de QF."),
    ],
)
def test_gaps_overlaps_and_missing_prices_in_brackets_are_refused(world, brackets, message):
    tariff = new_tariff(world, method="qf_brackets", amount=None)

    errors = errors_of(lambda: tariff_save(tariff=tariff, brackets=brackets))

    assert any(text.startswith(message) for text in errors["brackets"]), errors
    assert not Tariff.objects.exists() and not TariffBracket.objects.exists()


def test_effort_brackets_need_a_rate_and_a_ceiling(world):
    tariff = new_tariff(world, method="effort_rate_brackets", amount=None)

    errors = errors_of(lambda: tariff_save(tariff=tariff, brackets=[bracket(0, None, None)]))

    assert errors["brackets"] == [
        "Tranche 1 : Indiquez le taux d'effort de cette tranche.",
        "Tranche 1 : Indiquez le plafond : c'est aussi le prix sans QF valide.",
    ]


def test_saving_again_replaces_brackets_and_reductions(world):
    tariff = new_tariff(world, method="qf_brackets", amount=None, sibling_mode="rank")
    tariff_save(
        tariff=tariff,
        brackets=[bracket(0, 500), bracket(500, None)],
        reductions=[SiblingReduction(position=2, percent=Decimal("10"))],
    )

    tariff_save(
        tariff=tariff,
        brackets=[bracket(0, None, "7.00")],
        reductions=[SiblingReduction(position=3, percent=Decimal("20"))],
    )

    assert list(tariff.brackets.values_list("amount", flat=True)) == [Decimal("7.00")]
    assert list(tariff.sibling_reductions.values_list("position", flat=True)) == [3]


def test_reductions_need_a_sibling_mode_and_the_reverse(world):
    without_mode = new_tariff(world)
    errors = errors_of(
        lambda: tariff_save(
            tariff=without_mode, reductions=[SiblingReduction(position=2, percent=Decimal("10"))]
        )
    )
    assert list(errors) == ["reductions"]

    without_rows = new_tariff(world, sibling_mode="rank")
    assert errors_of(lambda: tariff_save(tariff=without_rows)) == {
        "reductions": ["Indiquez la réduction d'au moins un numéro d'enfant."]
    }


def test_a_flat_tariff_takes_no_brackets(world):
    errors = errors_of(lambda: tariff_save(tariff=new_tariff(world), brackets=[bracket(0, None)]))

    assert errors == {"brackets": ["Ce mode de calcul n'a pas de tranches de QF : retirez-les."]}


def test_the_database_refuses_unchecked_rows_that_break_a_rule(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Tariff.objects.create(unit=world.unit, valid_from=SEPTEMBER, method="flat")  # no amount
    with pytest.raises(IntegrityError), transaction.atomic():
        Tariff.objects.create(
            unit=world.unit,
            valid_from=SEPTEMBER,
            method="flat",
            amount=1,
            late_cancellation_percent=150,
        )


@on_postgresql
def test_postgresql_refuses_overlapping_tariffs_even_when_clean_is_skipped(world):
    Tariff.objects.create(unit=world.unit, valid_from=SEPTEMBER, method="flat", amount=9)
    Tariff.objects.create(  # another line kind, another residence: allowed
        unit=world.unit, kind="meal", valid_from=SEPTEMBER, method="flat", amount=3
    )
    Tariff.objects.create(
        unit=world.unit, residence="resident", valid_from=SEPTEMBER, method="flat", amount=3
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Tariff.objects.create(
            unit=world.unit,
            valid_from=datetime.date(2027, 3, 1),
            valid_until=datetime.date(2027, 3, 31),
            method="flat",
            amount=10,
        )
    # The day after a closed tariff is free.
    Tariff.objects.filter(residence="all", kind="childcare").update(
        valid_until=datetime.date(2027, 2, 28)
    )
    Tariff.objects.create(
        unit=world.unit, valid_from=datetime.date(2027, 3, 1), method="flat", amount=10
    )


@on_postgresql
def test_postgresql_refuses_overlapping_quotients_in_force_even_when_clean_is_skipped(world):
    family = world.family
    first = QuotientRecord.objects.create(
        family=family, value=500, valid_from=SEPTEMBER, source="caf"
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        QuotientRecord.objects.create(
            family=family, value=600, valid_from=datetime.date(2027, 1, 1), source="staff"
        )
    # Another family, or a record superseded since: no clash.
    QuotientRecord.objects.create(
        family=factories.FamilyFactory(), value=600, valid_from=SEPTEMBER, source="staff"
    )
    QuotientRecord.objects.filter(pk=first.pk).update(superseded_at=first.recorded_at)
    QuotientRecord.objects.create(
        family=family, value=600, valid_from=datetime.date(2027, 1, 1), source="staff"
    )
