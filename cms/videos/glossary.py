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


@dataclass(frozen=True)
class IndexedTerm:
    """What linking and the A–Z navigation need of a term; cached per locale."""

    pk: int
    term: str
    anchor: str
    short_definition: str
    names: tuple[str, ...]  # the term and its synonyms
    letter: str

    @property
    def letter_slug(self) -> str:
        return letter_slug(self.letter)


_CACHE_TIMEOUT = 24 * 60 * 60


def term_index(locale_id: int) -> list[IndexedTerm]:
    """Every term of a locale in dictionary order, from the cache. The key carries the
    glossary generation (``core.CacheGeneration``, moved on commit whenever a term is saved
    or deleted), so every web process sees a change at once; a request costs one query."""
    from django.core.cache import cache

    from cms.core.models import CacheGeneration

    from .models import GlossaryTerm

    key = f"glossary-terms:{locale_id}:{CacheGeneration.current(CacheGeneration.GLOSSARY)}"
    terms = cache.get(key)
    if terms is None:
        terms = sorted(
            (
                IndexedTerm(
                    pk=term.pk,
                    term=term.term,
                    anchor=term.anchor,
                    short_definition=term.short_definition,
                    names=(term.term, *term.synonym_list),
                    letter=initial_letter(term.term),
                )
                for term in GlossaryTerm.objects.filter(locale_id=locale_id).only(
                    "pk", "term", "slug", "short_definition", "synonyms"
                )
            ),
            key=lambda t: sort_key(t.term),
        )
        cache.set(key, terms, _CACHE_TIMEOUT)
    return terms


def build_term_linker(terms, glossary_url: str) -> TermLinker:
    """Links to the glossary page of each term's letter, at the term's anchor."""
    names: dict[str, LinkTarget] = {}
    for term in terms:
        url = f"{glossary_url}?letter={term.letter_slug}#{term.anchor}"
        target = LinkTarget(term.anchor, url, term.short_definition)
        for name in term.names:
            names.setdefault(name, target)
    return TermLinker(names)


def letter_slug(letter: str) -> str:
    """The ``?letter=`` value: “A” → “a”, “#” → “0”."""
    return "0" if letter == "#" else letter.lower()


def initial_letter(term: str) -> str:
    """“Ärger” → “A”, “Œ…” → “O”, digits and signs → “#”."""
    first = term.strip()[:1].translate(_UMLAUTS)
    base = unicodedata.normalize("NFKD", first)[:1].upper()
    return base if "A" <= base <= "Z" else "#"


def sort_key(term: str) -> str:
    """German dictionary order (DIN 5007-1): umlauts sort as their base letter."""
    return unicodedata.normalize("NFKD", term.translate(_UMLAUTS).casefold())


def glossary_letter_page(locale_id: int, slug: str | None) -> dict:
    """The letters that have terms and the terms of one of them (the first when ``slug`` is
    None), with their live videos; None as ``section`` for a letter without terms."""
    from .models import ExplainerVideoPage, GlossaryTerm

    index = term_index(locale_id)
    letters = sorted({t.letter for t in index}, key=lambda letter: (letter == "#", letter))
    nav = [{"letter": letter, "slug": letter_slug(letter)} for letter in letters]
    if slug is not None:
        slug = slug.lower()
    elif nav:
        slug = nav[0]["slug"]
    current = next((entry for entry in nav if entry["slug"] == slug), None)
    if current is None:
        return {"letters": nav, "section": None}
    order = {t.pk: number for number, t in enumerate(index) if t.letter == current["letter"]}
    terms = sorted(
        GlossaryTerm.objects.filter(pk__in=order).prefetch_related(
            _live_videos_prefetch(ExplainerVideoPage)
        ),
        key=lambda term: order[term.pk],
    )
    return {"letters": nav, "section": {**current, "terms": terms}}


def _live_videos_prefetch(model):
    from django.db.models import Prefetch

    return Prefetch(
        "videos",
        queryset=model.objects.live().public().order_by("title"),
        to_attr="live_videos",
    )
