"""Pictures the demo loaders draw: covers, teasers, the funder logo, diagrams.

Text is drawn with DejaVu Sans where the system has it (Debian's ``fonts-dejavu-core``, also
what the Digital-Check PDFs use) or another font with German letters; Pillow's built-in font
has no umlauts and would draw "f☒r". Without any such font the text is transliterated
("fuer"), never drawn with missing glyphs.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

FONT_CANDIDATES = {
    False: (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/Library/Fonts/Arial.ttf",
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "C:/Windows/Fonts/arial.ttf",
    ),
    True: (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "/Library/Fonts/Arial Bold.ttf",
        "/System/Library/Fonts/Supplemental/Arial Bold.ttf",
        "C:/Windows/Fonts/arialbd.ttf",
    ),
}
TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "→": "->"}
)


@cache
def font_path(bold: bool = False) -> str | None:
    """The first installed font with German letters, or None."""
    return next((path for path in FONT_CANDIDATES[bold] if Path(path).is_file()), None)


def demo_font(size: int, bold: bool = False):
    from PIL import ImageFont

    path = font_path(bold) or font_path(False)
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)


def drawable(text: str, font) -> str:
    """``text`` as ``font`` can draw it: unchanged, or transliterated where a glyph is missing
    (the font would otherwise draw its "missing glyph" box)."""
    missing = bytes(font.getmask("\ue000"))
    if all(bytes(font.getmask(char)) != missing for char in set(text) if not char.isspace()):
        return text
    return text.translate(TRANSLITERATION)


def draw_text(draw, xy, text: str, size: int, *, bold: bool = False, **kwargs) -> None:
    font = demo_font(size, bold)
    draw.multiline_text(xy, drawable(text, font), font=font, **kwargs)


def wrap(text: str, size: int, width: int, *, bold: bool = False) -> str:
    """``text`` broken into lines no wider than ``width`` pixels at ``size``."""
    font = demo_font(size, bold)
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(drawable(candidate, font)) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return "\n".join(lines)


def png_bytes(canvas) -> io.BytesIO:
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer
