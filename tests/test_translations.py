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
NOT_SCANNED = ["tests/*", "benchmarks/*", "staticfiles/*", "media/*", "scripts/*"]


@pytest.fixture(scope="module")
def catalogue_with_current_msgids(tmp_path_factory):
    """The committed catalogue merged with every msgid found in the code today."""
    locale_dir = tmp_path_factory.mktemp("locale")
    merged = locale_dir / "fr" / "LC_MESSAGES" / "django.po"
    merged.parent.mkdir(parents=True)
    shutil.copy(CATALOGUE, merged)
    cwd = Path.cwd()
    original_paths = settings.LOCALE_PATHS
    try:
        # makemessages writes into the first LOCALE_PATHS entry for files outside apps
        # with their own locale folder, so the committed catalogue is left untouched.
        settings.LOCALE_PATHS = [str(locale_dir)]

        os.chdir(settings.BASE_DIR)
        call_command(
            "makemessages",
            locale=["fr"],
            ignore_patterns=NOT_SCANNED,
            no_obsolete=True,
            verbosity=0,
        )
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
