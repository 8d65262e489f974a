"""The glossary: A–Z sections, and links from video pages to the terms they mention.

Linking works on HTML (escaped plain text is HTML too): only text outside tags and outside
existing ``<a>`` elements is searched, matches must stand as whole words, case is ignored
(``str.casefold``-equivalent through ``re.IGNORECASE`` with Unicode, so “Künstliche” matches
“KÜNSTLICHE”), and each term is linked once per page — at its first occurrence — across all
the texts handed to one ``TermLinker``. Longer names win over shorter ones inside them
(“Künstliche Intelligenz” before “Intelligenz”).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

_TAG = re.compile(r"<[^>]*>")
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
        parts = []
        depth = 0
        position = 0
        for match in _TAG.finditer(html):
            parts.append(self._link_text(html[position : match.start()]) if not depth else
                         html[position : match.start()])  # fmt: skip
            tag = match.group(0)
            if re.match(r"<a[\s>]", tag, re.IGNORECASE):
                depth += 1
            elif re.match(r"</a\s*>", tag, re.IGNORECASE):
                depth = max(0, depth - 1)
            parts.append(tag)
            position = match.end()
        rest = html[position:]
        parts.append(self._link_text(rest) if not depth else rest)
        return mark_safe("".join(parts))  # noqa: S308 - built from escaped input

    def link_text(self, text: str) -> SafeString:
        return self.link_html(escape(text))

    def _link_text(self, text: str) -> str:
        def replace(match):
            target = self.targets.get(match.group(1).casefold())
            if target is None or target.key in self.linked:
                return match.group(0)
            self.linked.add(target.key)
            return format_html(
                '<a class="glossary-link" href="{}" title="{}">{}</a>',
                target.url,
                target.title,
                mark_safe(match.group(0)),  # noqa: S308 - a slice of escaped text
            )

        return self.pattern.sub(replace, text)


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
