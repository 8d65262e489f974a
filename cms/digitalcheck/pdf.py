"""Tagged, accessible PDFs with fpdf2: headings, paragraphs, lists and figures become
structure elements, the document language is set, decoration is marked as artifact.

fpdf2 tags images (``alt_text``) and links on its own; text tagging goes through its
structure-tree builder (``_add_marked_content``), the same call fpdf2 uses for figures.
"""

from __future__ import annotations

import io
import logging
from contextlib import contextmanager
from pathlib import Path

from fpdf import FPDF

# fontTools reports every font subset at INFO; that is noise in our logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
INK = (28, 36, 48)
MUTED = (84, 94, 110)
ACCENT = (0, 84, 147)
LIGHT = (226, 234, 243)

# Core-font fallback (no system fonts): typographic characters outside Latin-1.
_LATIN1 = str.maketrans({"–": "-", "—": "-", "„": '"', "“": '"', "”": '"', "’": "'", "…": "..."})


class TaggedPDF(FPDF):
    def __init__(self, *, lang: str, title: str, orientation: str = "portrait"):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.set_lang(lang)
        self.set_title(title)
        self.set_creator("Lernfunk")
        self.set_display_mode("fullpage")
        self.viewer_preferences_display_doc_title = True
        self.unicode = (FONT_DIR / "DejaVuSans.ttf").exists()
        if self.unicode:
            self.add_font("Body", "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.add_font("Body", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
            self.family = "Body"
        else:
            self.family = "Helvetica"
        self.set_auto_page_break(False)
        self.set_margins(20, 20, 20)
        self.set_text_color(*INK)

    # --- structure -------------------------------------------------------------------
    def text_of(self, value) -> str:
        value = str(value)
        return (
            value
            if self.unicode
            else value.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")
        )

    @contextmanager
    def tagged(self, struct_type: str):
        mcid = self.struct_builder.next_mcid_for_page(self.page)
        self._add_marked_content(struct_type=f"/{struct_type}", mcid=mcid)
        self._out(f"/{struct_type} <</MCID {mcid}>> BDC")
        yield
        self._out("EMC")

    @contextmanager
    def artifact(self):
        self._out("/Artifact BMC")
        yield
        self._out("EMC")

    def _fits(self, height: float) -> None:
        if self.get_y() + height > self.h - 20:
            self.add_page()

    def block(self, struct_type, text, *, size=11, style="", color=INK, align="L", gap=2.0,
              line=1.45):  # fmt: skip
        text = self.text_of(text)
        self.set_font(self.family, style, size)
        height = size * 0.3528 * line
        lines = self.multi_cell(0, height, text, align=align, dry_run=True, output="LINES")
        self._fits(len(lines) * height)
        self.set_text_color(*color)
        with self.tagged(struct_type):
            self.multi_cell(0, height, text, align=align, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        self.ln(gap)

    def heading(self, text, level=1, **kwargs):
        sizes = {1: 22, 2: 15, 3: 12.5}
        kwargs.setdefault("size", sizes.get(level, 12))
        kwargs.setdefault("style", "B")
        kwargs.setdefault("color", ACCENT if level > 1 else INK)
        self.block(f"H{level}", text, **kwargs)

    def paragraph(self, text, **kwargs):
        self.block("P", text, **kwargs)

    def bullets(self, items, size=11):
        for item in items:
            self.block("P", f"•  {item}", size=size, gap=0.8)

    def rule(self):
        with self.artifact():
            self.set_draw_color(*LIGHT)
            self.set_line_width(0.6)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(4)

    def bar(self, fraction: float, width=80.0, height=4.0):
        """A decorative bar (the number it shows is in the tagged text next to it)."""
        x, y = self.l_margin, self.get_y()
        with self.artifact():
            self.set_fill_color(*LIGHT)
            self.rect(x, y, width, height, style="F")
            self.set_fill_color(*ACCENT)
            self.rect(x, y, max(width * min(max(fraction, 0.0), 1.0), 0.01), height, style="F")
        self.ln(height + 3)

    def figure(self, png: bytes, *, alt: str, x, y, w):
        self.image(io.BytesIO(png), x=x, y=y, w=w, alt_text=self.text_of(alt))

    def output_bytes(self) -> bytes:
        return bytes(self.output())
