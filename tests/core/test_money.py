from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from core.money import format_euros, money


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3.045", "3.05"),  # half up, where round() would give the banker's 3.04
        ("3.044999", "3.04"),
        ("-3.045", "-3.05"),
        ("0.005", "0.01"),
        ("12", "12.00"),
        (Decimal("70.55"), "70.55"),
    ],
)
def test_money_rounds_half_up_to_the_cent(value, expected):
    assert money(value) == Decimal(expected)
    assert str(money(value)) == expected


def test_a_float_is_refused():
    with pytest.raises(TypeError):
        money(4.15)


def test_seventeen_times_four_fifteen_is_seventy_point_fifty_five():
    """The peer's reported float bug (17 × 4,15 = 70,49) cannot happen here."""
    assert 17 * money("4.15") == Decimal("70.55")


@given(
    st.decimals(min_value=-(10**6), max_value=10**6, places=6, allow_nan=False),
)
def test_money_is_within_half_a_cent_and_has_two_places(value):
    rounded = money(value)
    assert rounded.as_tuple().exponent == -2
    assert abs(rounded - value) <= Decimal("0.005")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.5"), "1\u202f234,50\u00a0€"),
        (Decimal("0"), "0,00\u00a0€"),
        ("12.2", "12,20\u00a0€"),
        (None, ""),
        ("", ""),
        ("abc", ""),
        (1.5, ""),
    ],
)
def test_euros_are_written_the_french_way(value, expected):
    assert format_euros(value).replace("\xa0", "\u00a0") in {
        expected,
        expected.replace("\u202f", "\u00a0"),
        expected.replace("\u202f", " "),
    }


def test_the_template_filter_prints_the_same():
    rendered = Template("{% load money %}{{ amount|euros }}").render(
        Context({"amount": Decimal("1234.5")})
    )
    assert rendered == format_euros(Decimal("1234.5"))
    assert rendered.endswith(",50\u00a0€")
