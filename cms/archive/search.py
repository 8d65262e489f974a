"""Search without a server: the archive's search page and its client-side index.

At export time each language's search page (``/de/suche/``, ``/en/search/``) is rendered by
the live view without a query (the form with its kind, topic and level filters) and given
``archive/search.js``, which loads ``index.json`` from the same folder and searches in the
browser. The index is built from the same ``SearchDocument``/``SearchCue`` rows as the live
search, through ``visible_documents`` (live, public, published); a document whose page is not
part of the archive is left out. One plain JSON file per language: fine for a site of a few
hundred items (see README, "Static archive"), not meant for tens of thousands.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from bs4 import BeautifulSoup
from django.contrib.staticfiles.storage import staticfiles_storage
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

INDEX_NAME = "index.json"
INDEX_VERSION = 1
SCRIPT = "archive/search.js"
MAX_TEXT_CHARS = 4000  # page text per document (beyond the title, keywords and excerpt)
MAX_CUES = 3000  # transcript or caption cues per document


def build_search_index(language: str, link: Callable[[str], str | None]) -> dict:
    """The client-side index of ``language``: every visible document whose page ``link``
    maps to an archive URL (None: not archived, left out), with its cues.

    Documents come newest first (the order ties keep in the browser). Never raises for a
    document without a page in the archive; it is simply not in the index."""
    from cms.search.models import Kind, SearchCue
    from cms.search.query import STOP_WORDS, visible_documents
    from cms.taxonomy.models import MaturityLevel, Topic

    documents = (
        visible_documents(language)
        .order_by("-published_at", "pk")
        .prefetch_related("topics", "maturity_levels")
    )
    cues: dict[int, list] = {}
    for document_id, start, text in (
        SearchCue.objects.filter(document__in=documents)
        .order_by("document_id", "start")
        .values_list("document_id", "start", "text")
    ):
        cues.setdefault(document_id, []).append([int(start), text])
    entries = []
    for document in documents:
        url = link(document.url)
        if url is None:
            continue
        document_cues = cues.get(document.pk, [])
        text = document.body
        if document_cues:  # the cues are in the body as well: keep them only once
            text = text.replace(" ".join(cue for _start, cue in document_cues), " ")
        entries.append(
            {
                "title": document.title,
                "url": url,
                "kind": document.kind,
                "topics": [topic.slug for topic in document.topics.all()],
                "levels": [
                    level.slug for level in sorted(document.maturity_levels.all(), key=_sort_order)
                ],
                "keywords": document.keywords,
                "excerpt": document.excerpt,
                "text": " ".join(text.split())[:MAX_TEXT_CHARS],
                "cues": document_cues[:MAX_CUES],
            }
        )
    with translation.override(language):
        kinds = {value: str(label) for value, label in Kind.choices}
    return {
        "version": INDEX_VERSION,
        "language": language,
        "kinds": kinds,
        "topics": dict(
            Topic.objects.filter(locale__language_code=language)
            .order_by("name")
            .values_list("slug", "name")
        ),
        "levels": dict(
            MaturityLevel.objects.filter(locale__language_code=language)
            .order_by("sort_order")
            .values_list("slug", "name")
        ),
        "stop_words": sorted(STOP_WORDS.get(language, ())),
        "documents": entries,
    }


def dump_search_index(index: dict) -> bytes:
    return json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode()


def _sort_order(level) -> int:
    return level.sort_order


def build_search_page(page: bytes, language: str) -> bytes:
    """The live search page without a query, made to search in the browser: the script, a
    place for the results whose heading (the count) is a live region, and a note for
    browsers without JavaScript. The messages the script shows travel as data attributes,
    translated here."""
    soup = BeautifulSoup(page, "html.parser")
    container = soup.select_one(".search-page")
    form = container.select_one("form.search-form") if container else None
    if form is None:
        return page
    with translation.override(language):
        messages = {
            "data-archive-search": INDEX_NAME,
            "data-result-one": ngettext(
                "{count} result for “{query}”", "{count} results for “{query}”", 1
            ),
            "data-result-other": ngettext(
                "{count} result for “{query}”", "{count} results for “{query}”", 2
            ),
            "data-none": _("Nothing was found for your search."),
            "data-empty": _("Please enter a word to search for."),
            "data-no-words": _(
                "Your search has no word we could look for. Please use letters or numbers."
            ),
            "data-failed": _(
                "The search index of the archive could not be loaded. Please try again later."
            ),
            "data-at": _("{title} at"),
        }
        without_script = _(
            "The search in this archive runs in your browser and needs JavaScript. Please "
            "switch JavaScript on, or use the menu and the topic pages to find what you are "
            "looking for."
        )
    for name, value in messages.items():
        container[name] = value
    noscript = soup.new_tag("noscript")
    note = soup.new_tag("p", attrs={"class": "notice", "lang": language})
    note.string = without_script
    noscript.append(note)
    results = BeautifulSoup(
        '<section class="search-results" aria-labelledby="results-heading" hidden>'
        '<h2 id="results-heading" aria-live="polite" aria-atomic="true"></h2>'
        '<ol class="search-hits" hidden></ol></section>',
        "html.parser",
    )
    form.insert_after(noscript)
    noscript.insert_after(results)
    script = soup.new_tag("script", attrs={"src": staticfiles_storage.url(SCRIPT), "defer": ""})
    (soup.head or container).append(script)
    return str(soup).encode()
