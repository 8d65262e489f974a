"""The German catalogue ships complete: Django drops fuzzy entries when compiling, so a fuzzy
or empty entry shows English on German pages."""

from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parents[2] / "locale/de/LC_MESSAGES/django.po"


def test_german_catalogue_has_no_fuzzy_or_untranslated_entries():
    catalogue = polib.pofile(str(CATALOGUE))

    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []


def test_compiled_catalogue_matches_the_po_file():
    catalogue = polib.pofile(str(CATALOGUE))
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))

    expected = {entry.msgid: entry.msgstr for entry in catalogue.translated_entries()}
    got = {entry.msgid: entry.msgstr for entry in compiled}
    assert {k: v for k, v in expected.items() if got.get(k) != v} == {}
