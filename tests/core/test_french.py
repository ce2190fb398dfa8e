"""French as families read it: « d'Emma », « 1er janvier », « 8 h 30 », « 1,5 Mo »,
« — Choisir — »."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone, translation

from core import french
from core.widgets import label_empty_choices

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def in_french():
    with translation.override("fr"):
        yield


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Emma", "d'Emma"), ("Éloïse", "d'Éloïse"), ("Léa", "de Léa"), ("Hugo", "de Hugo")],
)
def test_of_elides_before_a_vowel(name, expected):
    assert french.of(name) == expected


def test_elide_changes_only_the_de_before_the_name():
    sentence = "Inscription de Emma à Accueil de loisirs refusée"

    assert french.elide(sentence, "Emma") == "Inscription d'Emma à Accueil de loisirs refusée"
    assert french.elide("Fiche de Léa", "Léa") == "Fiche de Léa"
    assert french.elide("De Emma", "Emma") == "D'Emma"


def test_the_first_of_the_month_is_1er_and_months_are_in_lower_case():
    assert french.long_date(datetime.date(2027, 1, 1)) == "1er janvier 2027"
    assert french.long_date(datetime.date(2027, 1, 2)) == "2 janvier 2027"
    assert french.long_date(datetime.date(2026, 12, 1), weekday=True) == "mardi 1er décembre 2026"


def test_times_are_written_8_h_30():
    assert french.hour(datetime.time(8, 30)) == f"8{NBSP}h{NBSP}30"
    assert french.hour(datetime.time(17, 0)) == f"17{NBSP}h"
    assert (
        french.hours(datetime.time(8, 5), datetime.time(12, 0)) == f"8{NBSP}h{NBSP}05 – 12{NBSP}h"
    )
    # An aware date-time is read in Paris: 7:30 UTC in winter is 8 h 30.
    utc = datetime.datetime(2026, 12, 7, 7, 30, tzinfo=datetime.UTC)
    assert french.hour(utc) == f"8{NBSP}h{NBSP}30"
    assert french.hour(timezone.now()) != ""


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (1, f"1{NBSP}octet"),
        (850, f"850{NBSP}octets"),
        (120 * 1024, f"120{NBSP}Ko"),
        (1536 * 1024, f"1,5{NBSP}Mo"),
        (6 * 1024 * 1024, f"6,0{NBSP}Mo"),
        (3 * 1024**3, f"3,0{NBSP}Go"),
    ],
)
def test_file_sizes_use_the_units_french_readers_know(size, expected):
    assert french.file_size(size) == expected
    assert "i" not in french.file_size(size).split(NBSP)[1].replace("octet", "")


def test_the_template_filters():
    template = Template(
        "{% load french %}{{ name|of }}|{{ day|long_date }}|{{ time|hour }}|{{ size|file_size }}"
    )
    rendered = template.render(
        Context(
            {
                "name": "Emma",
                "day": datetime.date(2027, 5, 1),
                "time": datetime.time(8, 30),
                "size": 2 * 1024 * 1024,
            }
        )
    )

    assert rendered == f"d&#x27;Emma|1er mai 2027|8{NBSP}h{NBSP}30|2,0{NBSP}Mo"


def test_an_empty_choice_reads_choisir():
    class Form(forms.Form):
        sex = forms.ChoiceField(choices=[("", "---------"), ("f", "Fille")])

    form = Form()
    label_empty_choices(form)

    assert list(form.fields["sex"].choices)[0] == ("", "— Choisir —")


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("Chloé", "CHLOE"),
        ("jean marc", "Jean-Marc"),
        (" N’Diaye ", "n'diaye"),
        ("Zoë  Lou", "ZOE-LOU"),
    ],
)
def test_names_typed_by_two_people_give_the_same_key(typed, stored):
    assert french.name_key(typed) == french.name_key(stored)


def test_different_names_keep_different_keys():
    assert french.name_key("Léa") != french.name_key("Léo")
    assert french.name_key("Marie Anne") != french.name_key("Marianne")
