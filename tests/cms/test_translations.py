"""The German catalogue is the source of the translations and ships complete.

Django drops fuzzy entries when compiling, so a fuzzy or empty entry shows English on German
pages; a string marked in the code but missing from the catalogue does the same; a placeholder
that the English original lacks breaks the page at run time.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale/de/LC_MESSAGES/django.po"
# What `make translations` extracts from (it ignores tests, benchmarks, var and .venv).
SOURCES = ("cms", "media_pipeline", "feeds", "templates", "manage.py")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|%[sdifr]|\{(\w*)\}")


def _placeholders(text):
    named, positional = set(), 0
    for match in PLACEHOLDER.finditer(text or ""):
        name = match.group(1) or match.group(2)
        if name:
            named.add(name)
        elif match.group(0).startswith("%"):
            positional += 1
    return named, positional


def _key(entry):
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def test_german_catalogue_has_no_fuzzy_untranslated_or_obsolete_entries():
    catalogue = polib.pofile(str(CATALOGUE))

    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.obsolete_entries()] == []


def test_translations_use_only_the_placeholders_of_their_original():
    catalogue = polib.pofile(str(CATALOGUE))
    wrong = []
    for entry in catalogue.translated_entries():
        original_named, original_positional = _placeholders(entry.msgid)
        plural_named, _ = _placeholders(entry.msgid_plural)
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            named, positional = _placeholders(translation)
            positional_ok = positional == original_positional or (
                # A German singular may spell the number out ("ein Eintrag").
                entry.msgid_plural and positional < original_positional
            )
            if named - original_named - plural_named or not positional_ok:
                wrong.append((entry.msgid, translation))
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file():
    catalogue = polib.pofile(str(CATALOGUE))
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))

    expected = {_key(entry): entry.msgstr for entry in catalogue.translated_entries()}
    got = {_key(entry): entry.msgstr for entry in compiled}
    assert {k: v for k, v in expected.items() if got.get(k) != v} == {}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_every_string_marked_in_the_code_is_in_the_catalogue(tmp_path):
    """Extract into a copy, as `make translations` would, and compare with what ships."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={**_environment(), "LERNFUNK_VAR_DIR": str(tmp_path / "var")},
    )
    shipped = {_key(entry) for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete}
    extracted = {
        _key(entry)
        for entry in polib.pofile(str(tmp_path / "locale/de/LC_MESSAGES/django.po"))
        if not entry.obsolete
    }

    assert sorted(extracted - shipped) == [], "marked in the code, missing from the catalogue"
    assert sorted(shipped - extracted) == [], "in the catalogue, no longer in the code"


def _environment():
    import os

    # The embedded default: extraction needs no database, broker or bucket.
    skip = {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "REDIS_URL"}
    return {key: value for key, value in os.environ.items() if key not in skip}
