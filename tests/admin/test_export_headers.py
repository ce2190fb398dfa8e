"""Every column header of the CSV/XLSX exports of staff lists is French, as the lists' own
headers are (test_headers.py): the English text it is written in has a French translation.

The lists are found in the admin's URLs, so a new one is covered without being named here.
"""

import pytest
from django.contrib.admin.utils import label_for_field
from django.utils import translation
from django.utils.translation import trans_real

from tests.admin.screens import staff_model_admins

pytestmark = pytest.mark.django_db


def untranslated(texts) -> list[str]:
    catalog = trans_real.translation("fr")._catalog
    return sorted(
        text for text in texts if text and not (text in catalog and str(catalog[text]).strip())
    )


def headers(model_admin) -> set[str]:
    """The headers in the language they are written in (the msgids)."""
    with translation.override("en"):
        found = {
            str(label_for_field(name, model_admin.model, model_admin=model_admin))
            for name in model_admin.list_display
            if name != "__str__"
        }
        headings = getattr(model_admin, "export_headings", {})
        for name in model_admin.list_export:
            heading = headings.get(name) or label_for_field(
                name, model_admin.model, model_admin=model_admin
            )
            found.add(str(heading))
    return found


def test_every_column_header_is_french():
    missing = {}
    for model_admin in staff_model_admins():
        texts = untranslated(headers(model_admin))
        if texts:
            missing[model_admin.url_helper.index_url] = texts

    assert missing == {}
    exported = {a.model._meta.model_name for a in staff_model_admins() if a.list_export}
    assert exported >= {"invoicingrun", "invoice", "invoiceline"}
