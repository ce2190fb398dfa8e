import pytest
from django.db import transaction

from core.counters import counter_next, counter_take
from core.models import Counter

pytestmark = pytest.mark.django_db


def test_numbers_follow_each_other_per_series_and_year():
    with transaction.atomic():
        assert [counter_next(scope="invoice:ALSH", year=2026) for _ in range(3)] == [1, 2, 3]
        assert counter_next(scope="invoice:ALSH", year=2027) == 1
        assert counter_next(scope="credit:ALSH", year=2026) == 1


def test_a_rolled_back_number_is_given_again():
    with transaction.atomic():
        counter_next(scope="order", year=2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert counter_next(scope="order", year=2026) == 2
        raise RuntimeError("the document could not be saved")
    with transaction.atomic():
        assert counter_next(scope="order", year=2026) == 2
    assert Counter.objects.get(scope="order", year=2026).last_value == 2


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_refuses():
    with pytest.raises(RuntimeError):
        counter_next(scope="order", year=2026)


def test_a_block_of_numbers_follows_the_last_one_given():
    with transaction.atomic():
        assert counter_take(scope="invoice:ALSH", year=2026, count=3) == 1
        assert counter_next(scope="invoice:ALSH", year=2026) == 4
        assert counter_take(scope="invoice:ALSH", year=2026, count=5) == 5
        assert counter_next(scope="invoice:ALSH", year=2026) == 10
    assert Counter.objects.get(scope="invoice:ALSH", year=2026).last_value == 10


def test_a_rolled_back_block_is_given_again():
    with pytest.raises(RuntimeError), transaction.atomic():
        counter_take(scope="credit_note:ALSH", year=2026, count=4)
        raise RuntimeError("the run could not be finalised")
    with transaction.atomic():
        assert counter_take(scope="credit_note:ALSH", year=2026, count=2) == 1


@pytest.mark.parametrize("count", [0, -1])
def test_an_empty_block_is_refused(count):
    with pytest.raises(ValueError), transaction.atomic():
        counter_take(scope="invoice:ALSH", year=2026, count=count)


@pytest.mark.django_db(transaction=True)
def test_a_block_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        counter_take(scope="order", year=2026, count=2)
