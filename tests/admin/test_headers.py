"""Every staff list speaks French: each column header shown in French is a translation,
never an English label that slipped through gettext (a column's short_description or a
model field's verbose_name left untranslated).

The lists are found in the admin's URLs, so a new one is covered without being named here.
"""

import pytest
from django.contrib.admin.utils import label_for_field
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import trans_real

from cms.staff_groups import ENFANCE
from tests.admin.screens import build_commune, staff_in, staff_model_admins

pytestmark = pytest.mark.django_db


def translated_as_itself(text: str) -> bool:
    """A label French writes as English does ("Date", "Services"…), said so in the catalog."""
    catalog = trans_real.translation("fr")._catalog
    return any(key in catalog for key in (text, text.lower(), text[:1].lower() + text[1:]))


def english_header(model_admin, field_name) -> str:
    with translation.override("en"):
        return str(capfirst(label_for_field(field_name, model_admin.model, model_admin)))


def test_every_column_header_of_every_staff_list_is_french(client, home_page):
    staff = staff_in(ENFANCE)
    build_commune(home_page, staff)
    client.force_login(staff)

    untranslated, lists = [], 0
    for model_admin in staff_model_admins():
        with translation.override("fr"):
            response = client.get(model_admin.url_helper.index_url)
        assert response.status_code == 200, model_admin.url_helper.index_url
        shown = [str(header["text"]) for header in response.context["result_headers"]]
        english = [english_header(model_admin, name) for name in model_admin.list_display]
        assert len(shown) == len(english), model_admin.url_helper.index_url
        lists += 1
        for french, source in zip(shown, english, strict=True):
            if french.lower() == source.lower() and not translated_as_itself(source):
                untranslated.append((model_admin.url_helper.index_url, french))

    assert lists > 20
    assert untranslated == [], untranslated


def test_the_check_catches_an_english_header():
    assert not translated_as_itself("Booked or waiting since yesterday")
    with translation.override("fr"):
        assert str(capfirst(translation.gettext("Family"))) != "Family"
