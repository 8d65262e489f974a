"""Demo pictures draw German text with real glyphs, never the missing-glyph box (issue 18:
the funder logo read "f☒r Wirtschaft", a diagram "Ma☒nahme")."""

import pytest
from PIL import ImageFont

from cms.core.demo_images import demo_font, drawable, font_path


def has_glyph(font, char):
    return bytes(font.getmask(char)) != bytes(font.getmask("\ue000"))


@pytest.mark.skipif(font_path() is None, reason="no font with German letters installed")
@pytest.mark.parametrize("bold", [False, True])
def test_demo_font_draws_umlauts_and_sharp_s(bold):
    font = demo_font(30, bold=bold)
    assert all(has_glyph(font, char) for char in "äöüÄÖÜß→")
    assert drawable("Bundesministerium für Wirtschaft", font) == "Bundesministerium für Wirtschaft"


def test_without_such_a_font_german_text_is_transliterated_not_boxed():
    builtin = ImageFont.load_default(size=30)  # Pillow's own font has no umlauts
    text = drawable("für Wirtschaft: Maßnahme", builtin)
    assert text == "fuer Wirtschaft: Massnahme"
    assert all(has_glyph(builtin, char) for char in text if not char.isspace())
