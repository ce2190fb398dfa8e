import datetime

import pytest
from django.core.exceptions import ValidationError

from core.validators import (
    normalize_iban,
    phone_validator,
    postal_code_validator,
    validate_iban,
)
from core.widgets import DateInput


def test_an_iban_passes_its_mod_97_check_whatever_its_spacing():
    validate_iban("fr76 3000 6000 0112 3456 7890 189")
    assert normalize_iban(" fr76 3000 6000 0112 3456 7890 189 ") == "FR7630006000011234567890189"


@pytest.mark.parametrize("value", ["FR7630006000011234567890188", "FR76", "1234567890123456"])
def test_a_wrong_iban_is_refused_in_french(value):
    with pytest.raises(ValidationError) as refused:
        validate_iban(value)
    assert refused.value.messages == ["Cet IBAN n'est pas valide."]


def test_phones_and_postal_codes():
    phone_validator("06 12 34 56 78")
    phone_validator("+33 6 12 34 56 78")
    postal_code_validator("95000")
    with pytest.raises(ValidationError):
        phone_validator("appelez-moi")
    with pytest.raises(ValidationError):
        postal_code_validator("9500")


def test_the_date_picker_reads_and_writes_iso_dates_whatever_the_language():
    html = DateInput().render("day", datetime.date(2026, 6, 17))
    assert 'type="date"' in html
    assert 'value="2026-06-17"' in html
