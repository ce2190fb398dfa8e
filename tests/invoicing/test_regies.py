"""A régie's settings are checked where staff type them: SIRET, code, number formats."""

import pytest
from django.core.exceptions import ValidationError

from invoicing.numbering import document_number

from .conftest import make_regie

pytestmark = pytest.mark.django_db


def test_a_valid_regie_passes_its_checks():
    make_regie().full_clean()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("siret", "21440109300016"),  # Luhn check fails
        ("siret", "2144010930001"),
        ("code", "alsh"),
        ("code", "TROP-LONG-CODE"),
        ("invoice_number_format", "F{regie}-{yy}"),  # no sequence
        ("invoice_number_format", "F{regie}-{mois}-{seq:06}"),
        ("payment_means", ["bitcoin"]),
        ("due_days", 0),
    ],
)
def test_bad_settings_are_refused_next_to_their_field(field, value):
    regie = make_regie()
    setattr(regie, field, value)
    with pytest.raises(ValidationError) as refused:
        regie.full_clean()
    assert field in refused.value.message_dict


def test_numbers_follow_the_format():
    assert document_number("F{regie}-{yy}-{seq:06}", regie_code="ALSH", year=2026, sequence=42) == (
        "FALSH-26-000042"
    )
    assert document_number("{yyyy}/{regie}/{seq}", regie_code="R1", year=2027, sequence=7) == (
        "2027/R1/7"
    )
