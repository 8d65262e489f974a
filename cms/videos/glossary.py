"""The glossary: A–Z sections, and links from video pages to the terms they mention.

Linking works on HTML (escaped plain text is HTML too), parsed by the standard library's
HTML parser: only text nodes outside existing ``<a>`` elements (and outside ``<script>`` and
``<style>``) are searched, with entities decoded first — so a term named “quot” never
breaks ``&quot;`` and nothing inside a tag or attribute is touched. Tags, comments and
declarations are passed through as written. Matches must stand as whole words, case is ignored
(``str.casefold``-equivalent through ``re.IGNORECASE`` with Unicode, so “Künstliche” matches
“KÜNSTLICHE”), and each term is linked once per page — at its first occurrence — across all
the texts handed to one ``TermLinker``. Longer names win over shorter ones inside them
(“Künstliche Intelligenz” before “Intelligenz”).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

_RAW_TEXT_ELEMENTS = {"script", "style"}
_UMLAUTS = str.maketrans({"Ä": "A", "Ö": "O", "Ü": "U", "ä": "a", "ö": "o", "ü": "u"})


@dataclass(frozen=True)
class LinkTarget:
    key: str  # the term's anchor, one link per key
    url: str
    title: str  # the short definition, as the link's title


class TermLinker:
    def __init__(self, names: dict[str, LinkTarget]):
        self.targets = {name.casefold(): target for name, target in names.items() if name}
        self.linked: set[str] = set()
        ordered = sorted(self.targets, key=len, reverse=True)
        self.pattern = (
            re.compile(
                r"(?<!\w)(" + "|".join(re.escape(name) for name in ordered) + r")(?!\w)",
                re.IGNORECASE,
            )
            if ordered
            else None
        )

    def link_html(self, html: str) -> SafeString:
        if self.pattern is None:
            return mark_safe(html)  # noqa: S308 - the caller's HTML, unchanged
        parser = _LinkingParser(self)
        parser.feed(html)
        parser.close()
        return mark_safe("".join(parser.parts))  # noqa: S308 - tags as given, text escaped

    def link_text(self, text: str) -> SafeString:
        return self.link_html(escape(text))

    def link_plain(self, text: str) -> str:
        """Plain (decoded) text → escaped HTML with the first mention of each term linked."""
        parts = []
        position = 0
        for match in self.pattern.finditer(text):
            target = self.targets.get(match.group(1).casefold())
            if target is None or target.key in self.linked:
                continue
            self.linked.add(target.key)
            parts.append(escape(text[position : match.start()]))
            parts.append(
                format_html(
                    '<a class="glossary-link" href="{}" title="{}">{}</a>',
                    target.url,
                    target.title,
                    match.group(0),
                )
            )
            position = match.end()
        parts.append(escape(text[position:]))
        return "".join(parts)


class _LinkingParser(HTMLParser):
    """Re-emits markup as written and hands text nodes outside links to the linker."""

    def __init__(self, linker: TermLinker):
        super().__init__(convert_charrefs=True)
        self.linker = linker
        self.parts: list[str] = []
        self.link_depth = 0
        self.raw_text = False

    def handle_starttag(self, tag, attrs):
        self.parts.append(self.get_starttag_text())
        if tag == "a":
            self.link_depth += 1
        self.raw_text = tag in _RAW_TEXT_ELEMENTS

    def handle_startendtag(self, tag, attrs):
        self.parts.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.parts.append(f"</{tag}>")
        if tag == "a":
            self.link_depth = max(0, self.link_depth - 1)
        self.raw_text = False

    def handle_data(self, data):
        if self.raw_text:
            self.parts.append(data)
        elif self.link_depth:
            self.parts.append(escape(data))
        else:
            self.parts.append(self.linker.link_plain(data))

    def handle_comment(self, data):
        self.parts.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.parts.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.parts.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.parts.append(f"<![{data}]>")


def build_term_linker(terms, glossary_url: str) -> TermLinker:
    names: dict[str, LinkTarget] = {}
    for term in terms:
        target = LinkTarget(term.anchor, f"{glossary_url}#{term.anchor}", term.short_definition)
        for name in (term.term, *term.synonym_list):
            names.setdefault(name, target)
    return TermLinker(names)


def initial_letter(term: str) -> str:
    """“Ärger” → “A”, “Œ…” → “O”, digits and signs → “#”."""
    first = term.strip()[:1].translate(_UMLAUTS)
    base = unicodedata.normalize("NFKD", first)[:1].upper()
    return base if "A" <= base <= "Z" else "#"


def sort_key(term: str) -> str:
    """German dictionary order (DIN 5007-1): umlauts sort as their base letter."""
    return unicodedata.normalize("NFKD", term.translate(_UMLAUTS).casefold())


def glossary_sections(locale) -> list[dict]:
    """Terms of ``locale`` grouped by initial letter, A–Z, each with its live videos."""
    from .models import ExplainerVideoPage, GlossaryTerm

    terms = sorted(
        GlossaryTerm.objects.filter(locale=locale).prefetch_related(
            _live_videos_prefetch(ExplainerVideoPage)
        ),
        key=lambda t: sort_key(t.term),
    )
    sections: dict[str, list] = {}
    for term in terms:
        sections.setdefault(initial_letter(term.term), []).append(term)
    letters = sorted(sections, key=lambda letter: (letter == "#", letter))
    return [{"letter": letter, "terms": sections[letter]} for letter in letters]


def alphabet(sections: list[dict]) -> list[dict]:
    present = {section["letter"] for section in sections}
    letters = [chr(code) for code in range(ord("A"), ord("Z") + 1)]
    if "#" in present:
        letters.append("#")
    return [{"letter": letter, "present": letter in present} for letter in letters]


def _live_videos_prefetch(model):
    from django.db.models import Prefetch

    return Prefetch(
        "videos",
        queryset=model.objects.live().public().order_by("title"),
        to_attr="live_videos",
    )
