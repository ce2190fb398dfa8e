"""The interface is French: every msgid of the project has a French translation."""

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
# What makemessages scans: the code and templates that speak to people.
SCANNED = [
    "core",
    "cms",
    "news",
    "documents_library",
    "portal_features",
    "reservations",
    "invoicing",
    "demo",
    "templates",
]


@pytest.fixture(scope="module")
def catalogue_with_current_msgids(tmp_path_factory):
    """The committed catalogue merged with every msgid found in the code today.

    makemessages writes into the locale folder nearest to each file, so it runs on a copy
    of the sources with a copy of the catalogue: the committed one is never touched.
    """
    copy = tmp_path_factory.mktemp("project")
    for name in SCANNED:
        source = Path(settings.BASE_DIR) / name
        if source.exists():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    merged = copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    merged.parent.mkdir(parents=True)
    shutil.copy(CATALOGUE, merged)
    cwd = Path.cwd()
    original_paths = settings.LOCALE_PATHS
    try:
        settings.LOCALE_PATHS = [str(copy / "locale")]
        os.chdir(copy)
        call_command("makemessages", locale=["fr"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(cwd)
        settings.LOCALE_PATHS = original_paths
    return polib.pofile(str(merged))


def test_every_msgid_in_the_code_is_in_the_catalogue_and_translated(
    catalogue_with_current_msgids,
):
    untranslated = [entry.msgid for entry in catalogue_with_current_msgids.untranslated_entries()]
    assert untranslated == [], f"Missing French translations: {untranslated}"


def test_catalogue_has_no_fuzzy_translation():
    fuzzy = [entry.msgid for entry in polib.pofile(str(CATALOGUE)).fuzzy_entries()]
    assert fuzzy == [], f"Fuzzy translations to review: {fuzzy}"


def test_compiled_catalogue_matches_the_source():
    """The .mo Django loads was compiled from the committed .po (run compilemessages)."""
    source = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
        for entry in polib.pofile(str(CATALOGUE)).translated_entries()
    }
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
        for entry in polib.mofile(str(COMPILED))
        if entry.msgid
    }
    assert compiled == source
