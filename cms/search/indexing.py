"""Keeping the search index equal to what visitors may see.

A page is indexed when it is live, has a URL and neither it nor a page above it carries a
view restriction (password, login or groups); anything else is removed from the index. Key
terms are indexed with the live, public glossary page of their language. Signal handlers
(``signal_handlers.py``) call these functions after the transaction commits;
``manage.py rebuild_search_index`` rebuilds everything.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from django.db import transaction
from django.utils.html import strip_tags
from wagtail.models import Page, PageViewRestriction

from media_pipeline.subtitles import TextTrackError, load_text_track

from .models import Kind, SearchCue, SearchDocument

logger = logging.getLogger(__name__)

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def fold(text: str) -> str:
    """Lower-cased with single spaces: what substring matching compares."""
    return " ".join(text.casefold().split())


def plain(html: str) -> str:
    return " ".join(strip_tags(html or "").replace("&nbsp;", " ").split())


def stream_text(value) -> str:
    """Every text of a StreamField's stored JSON (block ids, chooser ids and types skipped)."""
    texts: list[str] = []

    def walk(node, key=""):
        if isinstance(node, dict):
            for child_key, child in node.items():
                if child_key not in {"id", "type"}:
                    walk(child, child_key)
        elif isinstance(node, list):
            for child in node:
                walk(child, key)
        elif isinstance(node, str) and node.strip() and not _UUID.match(node):
            texts.append(plain(node))

    walk(value)
    return " ".join(texts)


def webvtt_cues(webvtt: str) -> list[tuple[float, str]]:
    """(start, plain text) of each cue with text; an unreadable track gives none."""
    if not webvtt.strip():
        return []
    try:
        cues = load_text_track(webvtt.encode(), "track.vtt").cues
    except TextTrackError:
        return []
    return [(cue.start, cue.plain_text) for cue in cues if cue.plain_text]


def is_visible(page: Page) -> bool:
    """Live, reachable and not restricted (itself or an ancestor) — what anyone may open."""
    if not page.live or page.depth < 2:
        return False
    if PageViewRestriction.objects.filter(
        page__path__in=[page.path[:i] for i in range(4, len(page.path) + 1, 4)]
    ).exists():
        return False
    return bool(page.get_url())


def _names(items: Iterable) -> str:
    return " ".join(str(item) for item in items)


def _document_data(page) -> tuple[str, dict, list, list, list] | None:
    """(kind, fields, topics, levels, cues) of a specific page, or None if not searchable."""
    from cms.core.models import StandardPage
    from cms.learning.models import LearningPathPage, LearningUnitPage
    from cms.podcasts.models import PodcastEpisodePage
    from cms.taxonomy.models import MaturityLevel
    from cms.videos.models import ExplainerVideoPage, TrackKind

    language = page.locale.language_code.split("-")[0]
    if isinstance(page, PodcastEpisodePage):
        cues = webvtt_cues(page.transcript)
        persons = _names(row.person for row in page.persons.select_related("person"))
        chapters = _names(chapter.title for chapter in page.chapters.all())
        topics = list(page.topics.all())
        fields = {
            "title": page.title,
            "keywords": " ".join([persons, chapters, _names(topics)]),
            "body": " ".join([page.summary, plain(page.show_notes), *(t for _s, t in cues)]),
            "excerpt": page.summary,
        }
        return Kind.EPISODE, fields, topics, list(page.maturity_levels.all()), cues
    if isinstance(page, ExplainerVideoPage):
        tracks = page.text_tracks.filter(kind=TrackKind.CAPTIONS, language=language)
        cues = [cue for track in tracks for cue in webvtt_cues(track.webvtt)]
        topics = list(page.topics.all())
        keywords = [_names(page.presenters.all()), _names(page.glossary_terms.all())]
        text = " ".join(t for _s, t in cues) or page.transcript
        fields = {
            "title": page.title,
            "keywords": " ".join([*keywords, _names(topics)]),
            "body": " ".join([page.summary, text]),
            "excerpt": page.summary,
        }
        return Kind.VIDEO, fields, topics, list(page.maturity_levels.all()), cues
    if isinstance(page, LearningUnitPage):
        topics = list(page.topics.all())
        levels = list(
            MaturityLevel.objects.filter(
                locale_id=page.level_min.locale_id,
                sort_order__gte=page.level_min.sort_order,
                sort_order__lte=page.level_max.sort_order,
            )
        )
        fields = {
            "title": page.title,
            "keywords": " ".join([_names(page.authors.all()), _names(topics)]),
            "body": " ".join(
                [
                    page.teaser,
                    plain(page.objectives),
                    page.target_group,
                    stream_text(page.steps.get_prep_value()),
                ]
            ),
            "excerpt": page.teaser,
        }
        return Kind.UNIT, fields, topics, levels, []
    if isinstance(page, LearningPathPage):
        units = page.get_units()
        topics = {topic.pk: topic for unit in units for topic in unit.topics.all()}
        fields = {
            "title": page.title,
            "keywords": _names(unit.title for unit in units),
            "body": plain(page.intro),
            "excerpt": plain(page.intro),
        }
        return Kind.PATH, fields, list(topics.values()), [], []
    if isinstance(page, StandardPage):
        body = " ".join([page.intro, stream_text(page.body.get_prep_value())])
        fields = {"title": page.title, "keywords": "", "body": body, "excerpt": page.intro}
        return Kind.PAGE, fields, [], [], []
    return None


def _save(*, page, term, kind, language, url, published_at, fields, topics, levels, cues):
    folded = fold(" ".join([fields["title"], fields["keywords"], fields["body"]]))
    document, _created = SearchDocument.objects.update_or_create(
        page=page,
        term=term,
        defaults={
            "kind": kind,
            "language": language,
            "url": url,
            "published_at": published_at,
            "folded": folded,
            "head": fold(" ".join([fields["title"], fields["keywords"], fields["excerpt"]])),
            **fields,
        },
    )
    document.topics.set(topics)
    document.maturity_levels.set(levels)
    document.cues.all().delete()
    SearchCue.objects.bulk_create(
        SearchCue(document=document, language=language, start=start, text=text, folded=fold(text))
        for start, text in cues
    )
    return document


def index_page(page: Page) -> None:
    """Add, update or remove one page (and, for a glossary page, its terms)."""
    from cms.videos.models import GlossaryPage

    page = page.specific
    if not is_visible(page):
        remove_page(page)
        return
    if isinstance(page, GlossaryPage):
        index_terms(page.locale_id)
        return
    data = _document_data(page)
    if data is None:
        return
    kind, fields, topics, levels, cues = data
    _save(
        page=page,
        term=None,
        kind=kind,
        language=page.locale.language_code.split("-")[0],
        url=page.get_url(),
        published_at=page.first_published_at,
        fields=fields,
        topics=topics,
        levels=levels,
        cues=cues,
    )


def remove_page(page: Page) -> None:
    SearchDocument.objects.filter(page_id=page.pk).delete()


def index_subtree(page: Page) -> None:
    """Re-check a page and everything below it (moves, privacy changes, unpublishing)."""
    for descendant in Page.objects.descendant_of(page, inclusive=True).specific():
        index_page(descendant)


def index_terms(locale_id: int) -> None:
    """The key terms of one language, under that language's live, public glossary page."""
    from cms.videos.glossary import initial_letter, letter_slug
    from cms.videos.models import GlossaryPage, GlossaryTerm

    glossaries = list(GlossaryPage.objects.live().filter(locale_id=locale_id))
    glossary = next((g for g in glossaries if is_visible(g)), None)
    terms = GlossaryTerm.objects.filter(locale_id=locale_id)
    if glossary is None:
        SearchDocument.objects.filter(term__locale_id=locale_id).delete()
        return
    SearchDocument.objects.filter(term__locale_id=locale_id).exclude(page=glossary).delete()
    base = glossary.get_url()
    language = glossary.locale.language_code.split("-")[0]
    for term in terms:
        url = f"{base}?letter={letter_slug(initial_letter(term.term))}#{term.anchor}"
        definition = term.short_definition
        _save(
            page=glossary,
            term=term,
            kind=Kind.TERM,
            language=language,
            url=url,
            published_at=glossary.first_published_at,
            fields={
                "title": term.term,
                "keywords": " ".join(term.synonym_list),
                "body": " ".join([definition, plain(term.explanation)]),
                "excerpt": definition,
            },
            topics=[],
            levels=[],
            cues=[],
        )


def rebuild() -> int:
    """Index every page and term from scratch; returns the number of documents."""
    from wagtail.models import Locale

    with transaction.atomic():
        SearchDocument.objects.all().delete()
        for page in Page.objects.filter(depth__gt=1).specific().iterator(chunk_size=200):
            index_page(page)
        for locale in Locale.objects.all():
            index_terms(locale.pk)
    return SearchDocument.objects.count()
