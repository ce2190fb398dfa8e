"""Password rules: at least 8 characters, upper case, lower case and digit, plus Django's checks.

Each refused password must be refused by the expected rule, with its message in French next
to the field.
"""

import pytest
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from portal_features.password_validation import MixedCharactersValidator
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

MIXED_MSGID = (
    "Your password must contain at least one upper-case letter, "
    "one lower-case letter and one digit."
)


def too_short():
    return (
        ngettext(
            "This password is too short. It must contain at least %d character.",
            "This password is too short. It must contain at least %d characters.",
            8,
        )
        % 8
    )


def not_mixed():
    return gettext(MIXED_MSGID)


def too_similar():
    return gettext("The password is too similar to the %(verbose_name)s.") % {
        "verbose_name": gettext("e-mail address")
    }


# (password, error code, French message built from the msgid, translated by Django itself)
REFUSED = [
    pytest.param("Ab1-xyz", "password_too_short", too_short, True, id="too-short"),
    pytest.param("jardin-vert-2026", "password_not_mixed", not_mixed, False, id="no-upper"),
    pytest.param("JARDIN-VERT-2026", "password_not_mixed", not_mixed, False, id="no-lower"),
    pytest.param("Jardin-Vert-Bleu", "password_not_mixed", not_mixed, False, id="no-digit"),
    pytest.param(
        "Password123",
        "password_too_common",
        lambda: gettext("This password is too common."),
        True,
        id="common",
    ),
    pytest.param(
        "48213579064",
        "password_entirely_numeric",
        lambda: gettext("This password is entirely numeric."),
        True,
        id="numeric",
    ),
    pytest.param("Marguerite2026", "password_too_similar", too_similar, True, id="like-the-email"),
]


@pytest.fixture
def user():
    return UserFactory(email="marguerite.dupont@example.fr", first_name="", last_name="")


@pytest.mark.parametrize(("password", "code", "message", "translated_by_django"), REFUSED)
def test_refused_password_gets_its_french_message(
    user, password, code, message, translated_by_django
):
    with translation.override("fr"):
        form = SetPasswordForm(user, {"new_password1": password, "new_password2": password})
        assert not form.is_valid()
        expected = message()
        shown = form.errors["new_password2"]

    assert form.has_error("new_password2", code)
    assert expected in shown
    if translated_by_django:
        with translation.override("en"):
            assert message() != expected, "the message should be in French"


def test_a_good_password_is_accepted(user):
    form = SetPasswordForm(
        user, {"new_password1": "Tournesol-Bleu-47", "new_password2": "Tournesol-Bleu-47"}
    )

    assert form.is_valid(), form.errors


@pytest.mark.parametrize("password", ["Élodie2026x", "élodiE2026x", "ÉLODIE2026é"])
def test_mixed_characters_accepts_accented_letters(password):
    MixedCharactersValidator().validate(password)


@pytest.mark.parametrize("password", ["élodie2026x", "ÉLODIE2026X", "Élodie-deux"])
def test_mixed_characters_refuses_a_missing_kind(password):
    with pytest.raises(ValidationError) as raised:
        MixedCharactersValidator().validate(password)

    assert raised.value.code == "password_not_mixed"


def test_password_errors_are_tied_to_their_field_on_the_page(user, client):
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Ab1-xyz", "new_password2": "Ab1-xyz"},
    )

    html = response.content.decode()
    assert 'id="id_new_password2_error"' in html
    assert 'aria-describedby="id_new_password2_helptext id_new_password2_error"' in html
    assert 'aria-invalid="true"' in html
    with translation.override("fr"):
        assert escape(too_short()) in html


def test_the_rules_are_listed_before_the_parent_types(user, client):
    client.force_login(user)

    html = client.get(reverse("accounts:password_change")).content.decode()

    assert 'id="id_new_password1_helptext"' in html
    assert 'aria-describedby="id_new_password1_helptext"' in html
    with translation.override("fr"):
        assert escape(gettext(MIXED_MSGID)) in html
