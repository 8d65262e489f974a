"""Running a search: matching, ranking, the minute of a transcript or caption, "Meinten Sie".

PostgreSQL: the generated ``search_vector`` (weights: title A, keywords B, body C) matched
with ``websearch_to_tsquery`` in the row's language configuration ('german'/'english':
stemming, so "Kunden" finds "Kunde", and stop words), ranked by ``ts_rank_cd``. On both
backends a substring match of the query's word stems widens the results, which finds words
inside German compounds ("Service" → "Kundenservice", "Service für Kunden" →
"Kundenservice", "Kundenservice" → "Service für Kunden" by splitting the word). On SQLite
that substring match is all there is: stems are made by stripping common endings, ranking
counts where the stems occur (title before keywords before text).
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, FloatField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.safestring import mark_safe
from wagtail.models import PageViewRestriction

from .models import SearchCue, SearchDocument

MAX_QUERY_LENGTH = 200
MAX_CANDIDATES = 500
_WORD = re.compile(r"\w+", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
TEXT_SEARCH_CONFIGS = {"de": "german", "en": "english"}
_ENDINGS = ("ern", "em", "en", "er", "es", "e", "n", "s")
STOP_WORDS = {
    "de": {"der", "die", "das", "und", "oder", "für", "mit", "von", "den", "dem", "ein", "eine",
           "im", "in", "zu", "zum", "zur", "ist", "wie", "was", "auf", "an", "am", "bei"},
    "en": {"the", "a", "an", "and", "or", "for", "with", "of", "to", "in", "on", "is", "how",
           "what", "at", "by"},
}  # fmt: skip


class QueryError(ValueError):
    """The query cannot be searched for (empty, only signs); the message says why."""


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def clean_query(raw: str) -> str:
    text = _CONTROL.sub(" ", raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def stem(word: str) -> str:
    """A crude stem for substring matching: "Kunden" → "kund", "Services" → "servic"."""
    word = word.casefold()
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def query_stems(query: str, language: str) -> list[str]:
    stop = STOP_WORDS.get(language, set())
    words = [w for w in _WORD.findall(query.casefold()) if w not in stop]
    stems = []
    for word in words:
        s = stem(word)
        if s not in stems:
            stems.append(s)
    return stems


def _substring_match(stems: list[str], field: str = "folded") -> Q:
    """Every stem occurs — as it is, or a long word as two parts (a German compound)."""
    lookup = f"{field}__contains"
    match = Q()
    for s in stems:
        alternatives = Q(**{lookup: s})
        if len(s) >= 10:
            for i in range(5, len(s) - 4):
                alternatives |= Q(**{lookup: s[:i]}) & Q(**{lookup: s[i:]})
        match &= alternatives
    return match


def _occurs(stem_: str, text: str) -> float:
    """As ``_substring_match`` for one stem and one text, in Python: 1 for the stem itself,
    0.7 for the parts of a compound, else 0."""
    if stem_ in text:
        return 1.0
    split = len(stem_) >= 10 and any(
        stem_[:i] in text and stem_[i:] in text for i in range(5, len(stem_) - 4)
    )
    return 0.7 if split else 0.0


def visible_documents(language: str):
    """Documents of one language whose page is still live and public, already published.

    The index holds only such documents; checking again here keeps a missed signal from
    ever showing a restricted or withdrawn page."""
    restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
    hidden = Q()
    for path in restricted:
        hidden |= Q(page__path__startswith=path)
    documents = SearchDocument.objects.filter(
        language=language, page__live=True, published_at__lte=timezone.now()
    )
    return documents.exclude(hidden) if hidden else documents


@dataclass
class Hit:
    document: SearchDocument
    score: float
    url: str = ""
    snippet: str = ""
    cue_start: float | None = None
    topics: list = field(default_factory=list)
    levels: list = field(default_factory=list)

    @property
    def clock(self) -> str:
        if self.cue_start is None:
            return ""
        seconds = int(self.cue_start)
        hours, rest = divmod(seconds, 3600)
        minutes, secs = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def ranked_ids(query: str, language: str, *, kinds=(), topic=None, level=None) -> list[int]:
    """The ids of the matching documents, best first (at most MAX_CANDIDATES)."""
    stems = query_stems(query, language)
    if not stems:
        return []
    documents = visible_documents(language)
    if kinds:
        documents = documents.filter(kind__in=kinds)
    if topic:
        documents = documents.filter(topics__slug=topic)
    if level:
        documents = documents.filter(maturity_levels__slug=level)
    if uses_postgres():
        # Full text over everything; substrings (compounds) over title, keywords, excerpt.
        match = _substring_match(stems, "head")
        config = TEXT_SEARCH_CONFIGS.get(language, "simple")
        tsquery = "websearch_to_tsquery(%s::regconfig, %s)"
        documents = documents.annotate(
            # Constant SQL; the configuration and the query are bound parameters.
            fulltext=RawSQL(  # noqa: S611
                f"site_search_searchdocument.search_vector @@ {tsquery}",
                [config, query],
                output_field=BooleanField(),
            ),
            rank=RawSQL(  # noqa: S611
                f"ts_rank_cd(site_search_searchdocument.head_vector, {tsquery}, 1)",
                [config, query],
                output_field=FloatField(),
            ),
        ).filter(Q(fulltext=True) | match)
        rows = documents.order_by("-rank", "-published_at").values_list(
            "id", "title", "keywords", "rank"
        )
    else:
        rows = documents.filter(_substring_match(stems)).order_by("-published_at")
        rows = rows.values_list("id", "title", "keywords")
        rows = [(*row, 0.0) for row in rows[: MAX_CANDIDATES * 4]]
    scored = []
    seen = set()
    for pk, title, keywords, rank in rows[:MAX_CANDIDATES]:
        if pk in seen:  # joins over topics or levels can repeat a row
            continue
        seen.add(pk)
        title, keywords = title.casefold(), keywords.casefold()
        bonus = sum(3 * _occurs(s, title) or _occurs(s, keywords) for s in stems)
        exact = 5 if " ".join(query.casefold().split()) == title else 0
        scored.append((rank * 10 + bonus + exact, pk))
    scored.sort(key=lambda item: -item[0])
    return [pk for _score, pk in scored]


def highlight(text: str, stems: list[str]) -> str:
    """``text`` escaped, each word containing a stem wrapped in <mark>."""
    if not stems:
        return mark_safe(html.escape(text))  # noqa: S308 - escaped
    pattern = re.compile(
        r"\w*(?:" + "|".join(re.escape(s) for s in stems) + r")\w*", re.IGNORECASE
    )
    parts, position = [], 0
    for match in pattern.finditer(text):
        parts.append(html.escape(text[position : match.start()]))
        parts.append(f"<mark>{html.escape(match.group(0))}</mark>")
        position = match.end()
    parts.append(html.escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped


def _best_sentence(text: str, stems: list[str], limit: int = 240) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", text)
    best, best_score = "", 0
    for sentence in sentences:
        folded = sentence.casefold()
        score = sum(1 for s in stems if s in folded)
        if score > best_score:
            best, best_score = sentence, score
    if len(best) > limit:
        best = best[:limit].rsplit(" ", 1)[0] + " …"
    return best


def with_time(url: str, seconds: float) -> str:
    base, _hash, fragment = url.partition("#")
    joined = f"{base}{'&' if '?' in base else '?'}t={int(seconds)}"
    return f"{joined}#{fragment}" if fragment else joined


def build_hits(ids: list[int], query: str, language: str) -> list[Hit]:
    """Hits for one page of ids: snippet, and for transcripts and captions the best cue."""
    stems = query_stems(query, language)
    documents = (
        SearchDocument.objects.filter(pk__in=ids)
        .defer("folded", "head", "body")
        .prefetch_related("topics", "maturity_levels")
    )
    by_id = {document.pk: document for document in documents}
    best_cue: dict[int, tuple[int, SearchCue]] = {}
    any_stem = Q()
    for s in stems:
        any_stem |= Q(folded__contains=s)
    if stems:
        cues = SearchCue.objects.filter(any_stem, document_id__in=ids).order_by("start")
        for cue in cues:
            score = sum(1 for s in stems if s in cue.folded)
            if score > best_cue.get(cue.document_id, (0, None))[0]:
                best_cue[cue.document_id] = (score, cue)
    hits = []
    for pk in ids:
        document = by_id.get(pk)
        if document is None:
            continue
        hit = Hit(
            document=document,
            score=0,
            url=document.url,
            topics=list(document.topics.all()),
            levels=sorted(document.maturity_levels.all(), key=lambda level: level.sort_order),
        )
        cue = best_cue.get(pk, (0, None))[1]
        if cue is not None:
            hit.cue_start = cue.start
            hit.url = with_time(document.url, cue.start)
            hit.snippet = highlight(cue.text, stems)
        else:
            sentence = _best_sentence(
                " ".join([document.excerpt, document.body, document.keywords]), stems
            )
            hit.snippet = highlight(sentence or document.excerpt[:240], stems)
        hits.append(hit)
    return hits


def vocabulary(language: str) -> list[str]:
    words = set()
    rows = visible_documents(language).values_list("title", "keywords")
    for title, keywords in rows[:5000]:
        words.update(w for w in _WORD.findall(f"{title} {keywords}".casefold()) if len(w) >= 4)
    return sorted(words)


def did_you_mean(query: str, language: str) -> str:
    """A corrected query for typos, or "": each word unknown to the index is replaced by the
    most similar word of titles, key terms and synonyms (pg_trgm similarity on PostgreSQL,
    difflib's ratio on SQLite)."""
    words = _WORD.findall(query)
    if not words:
        return ""
    visible = visible_documents(language)
    corrected, changed = [], False
    for word in words:
        folded = word.casefold()
        if len(folded) < 4 or _known(visible, folded, language):
            corrected.append(word)
            continue
        replacement = _similar_word(folded, language)
        if replacement:
            corrected.append(replacement)
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else ""


def _known(documents, word: str, language: str) -> bool:
    """Whether the index has the word (on PostgreSQL: its stem, or inside a title)."""
    if uses_postgres():
        config = TEXT_SEARCH_CONFIGS.get(language, "simple")
        fulltext = RawSQL(  # noqa: S611 - constant SQL, bound parameters
            "site_search_searchdocument.search_vector @@ plainto_tsquery(%s::regconfig, %s)",
            [config, word],
            output_field=BooleanField(),
        )
        return (
            documents.annotate(known=fulltext).filter(Q(known=True) | Q(head__contains=word))
        ).exists()
    return documents.filter(folded__contains=stem(word)).exists()


def _similar_word(word: str, language: str) -> str:
    if uses_postgres():
        ids = list(visible_documents(language).values_list("id", flat=True)[:5000])
        if not ids:
            return ""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT word FROM (
                    SELECT DISTINCT regexp_split_to_table(
                        lower(title || ' ' || keywords), '[^[:alnum:]]+') AS word
                    FROM site_search_searchdocument WHERE id = ANY(%s)
                ) words
                WHERE length(word) >= 4 AND similarity(word, %s) >= 0.3
                ORDER BY similarity(word, %s) DESC, word LIMIT 1
                """,
                [ids, word, word],
            )
            row = cursor.fetchone()
        return row[0] if row else ""
    matches = difflib.get_close_matches(word, vocabulary(language), n=1, cutoff=0.75)
    return matches[0] if matches else ""
