"""Every staff list speaks French beyond its column headers (tests/admin/test_headers.py):
each filter's title is a translation, never an English label left untranslated (a field's
verbose_name, a filter's title given as a plain string), and every date and time in the
list's cells is written the French way (« 25/11/2026 », « 25 novembre 2026 », « 10:00 »),
never « Nov. 25, 2026 », « 2026-11-25 » or « 10 a.m. ».

The lists are found in the admin's URLs, so a new one is covered without being named here.
"""

import html
import re

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from cms.staff_groups import ENFANCE
from tests.admin.screens import build_commune, staff_in, staff_model_admins

pytestmark = pytest.mark.django_db

ENGLISH_DATE = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.? \d{1,2}, \d{4}"
    r"|\b(January|February|March|April|June|July|August|September|October|November|December)\b"
    r"|\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\d ?[ap]\.m\.|\bmidnight\b|\bnoon\b"
    r"|\b\d{4}-\d{2}-\d{2}\b"
)
TABLE = re.compile(r"<table[^>]*listing.*?</table>", re.S)
TEXT = re.compile(r">([^<>]+)<")


def french_as_in_english(text: str) -> bool:
    """A label French writes as English does ("Date", "Absence"…): its msgstr is itself."""
    catalog = trans_real.translation("fr")._catalog
    for key in (text, text.lower(), text[:1].lower() + text[1:]):
        if key in catalog and str(catalog[key]).lower() == key.lower():
            return True
    return False


def english_title(spec) -> str | None:
    """The filter's title when it reads the same in English and in French."""
    with translation.override("en"):
        english = str(spec.title)
    with translation.override("fr"):
        french = str(spec.title)
    if french.lower() == english.lower() and not french_as_in_english(english):
        return english
    return None


def cells_text(content: str) -> list[str]:
    """The texts of the list's table (headers and cells), not its links' addresses."""
    texts = []
    for table in TABLE.findall(content):
        texts += [html.unescape(text).strip() for text in TEXT.findall(table)]
    return [text for text in texts if text]


@pytest.fixture
def staff_client(client, home_page):
    staff = staff_in(ENFANCE)
    build_commune(home_page, staff)
    client.force_login(staff)
    return client


def test_every_filter_of_every_staff_list_is_french_and_every_date_too(staff_client):
    english_filters, english_dates, filters, lists = [], [], 0, 0
    for model_admin in staff_model_admins():
        index = model_admin.url_helper.index_url
        with translation.override("fr"):
            response = staff_client.get(index)
        assert response.status_code == 200, index
        lists += 1
        for spec in response.context["view"].filter_specs:
            filters += 1
            title = english_title(spec)
            if title:
                english_filters.append((index, title))
        for text in cells_text(response.content.decode()):
            if ENGLISH_DATE.search(text):
                english_dates.append((index, text))

    assert lists > 20 and filters > 20
    assert english_filters == [], english_filters
    assert english_dates == [], english_dates


def test_the_checks_catch_english():
    assert ENGLISH_DATE.search("Nov. 25, 2026, 10 a.m.")
    assert ENGLISH_DATE.search("2026-11-25")
    assert not ENGLISH_DATE.search("25/11/2026 10:00")
    assert not ENGLISH_DATE.search("mercredi 25 novembre 2026")

    class Spec:
        title = "Unread"

    assert english_title(Spec) == "Unread"
    Spec.title = translation.gettext_lazy("Family")
    assert english_title(Spec) is None
