"""Realistic published content in bulk, for measuring the site at a large centre's size.

``generate_content`` adds podcast episodes, explainer videos, self-learning units, learning
paths and key terms to a site that already has the demo content (``load_demo_content``), in
every requested language as translations of each other (one ``translation_key`` per
German page, Wagtail's locale mechanism as the demo uses it).

Pages are written in bulk, not through ``add_child`` + ``save_revision().publish()``: that
path costs some thirty queries and the publish signals per page, which puts the large size
(several thousand pages) at a quarter of an hour. The rows are what publishing leaves
behind: tree path and ``url_path``, one revision holding the page's content (so editing in
the admin starts from it), ``live_revision``/``latest_revision``, publication dates, child
rows and many-to-many rows, and the search index entries. Not written: page log entries
and Wagtail's reference index (admin "usage" counts), and no publish signals are sent;
the caches that listen to them (feeds, sitemap) are invalidated once at the end.

Media is shared: a few short audio and video files are generated with the real ffmpeg,
rendered by the real pipeline in this process (READY renditions) and used by many pages,
so building thousands of pages never transcodes more than those few files.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, Revision

from cms.core.models import CacheGeneration, HomePage
from cms.images.models import CustomImage
from cms.learning.models import LearningCatalogPage, LearningPathPage, LearningUnitPage, PathUnit
from cms.learning.structure import required_step_ids
from cms.people.models import Person
from cms.podcasts.models import EpisodeChapter, EpisodePerson, PodcastEpisodePage, PodcastShowPage
from cms.taxonomy.models import MaturityLevel, Topic
from cms.videos.models import (
    ExplainerVideoIndexPage,
    ExplainerVideoPage,
    GlossaryPage,
    GlossaryTerm,
    VideoKeyTerm,
    VideoRelatedEpisode,
    VideoRelatedUnit,
    VideoTextTrack,
)
from media_pipeline import services
from media_pipeline.binaries import ffmpeg_path
from media_pipeline.exceptions import DuplicateMediaError
from media_pipeline.models import MediaFile, MediaRendition, RenditionStatus
from media_pipeline.uploads import create_media_file

MEDIA_TITLE_PREFIX = "Generierte Inhalte: "
AUDIO_SECONDS = 120  # long enough for chapters and a transcript to spread over
VIDEO_SECONDS = 4
SHARED_AUDIO = 2
SHARED_VIDEOS = 2
SHARED_IMAGES = 3
BATCH_SIZE = 500
ROLES = ("host", "guest")

# The large size of issue 15 ("L"), per language, on top of the demo content.
LARGE = {"episodes": 1000, "videos": 200, "units": 500, "paths": 50, "terms": 500}


class GenerationError(Exception):
    """The site is not ready for generated content (no demo content, unknown locale)."""


@dataclass
class GenerationReport:
    created: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, count: int, seconds: float) -> None:
        self.created[name] = self.created.get(name, 0) + count
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds


def generate_content(
    *,
    episodes: int = 0,
    videos: int = 0,
    units: int = 0,
    paths: int = 0,
    terms: int = 0,
    locales: tuple[str, ...] = ("de", "en"),
    seed: int = 0,
) -> GenerationReport:
    """Add this many published items *per language* and return what was made, with timings.

    The first language is the source (the demo's German pages); the others are its
    translations. Raises GenerationError when the demo content is missing. Adds to what
    is there: running it twice doubles the generated content (slugs and numbers continue).
    """
    report = GenerationReport()
    context = _Context.load(locales, _rng(seed))
    started = time.monotonic()
    media = _ensure_shared_media()
    report.add("shared media", 0, time.monotonic() - started)
    with transaction.atomic():
        _timed(report, "key terms", lambda: _add_terms(context, terms))
        _timed(report, "episodes", lambda: _add_episodes(context, media, episodes))
        _timed(report, "videos", lambda: _add_videos(context, media, videos))
        _timed(report, "units", lambda: _add_units(context, media, units))
        _timed(report, "paths", lambda: _add_paths(context, paths))
        transaction.on_commit(_invalidate_caches)
    _refresh_planner_statistics()
    return report


def _refresh_planner_statistics() -> None:
    """Thousands of rows came in at once: on PostgreSQL, tell the query planner (``ANALYZE``),
    as autovacuum does on a site that grew over months. Without it the planner still takes
    the page tree for the demo's size (it estimated 1 of 553 catalogue children, 2026-12-07)
    and plans for that; where autovacuum is off, as on the shared test machine, nothing else
    would ever refresh them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _timed(report: GenerationReport, name: str, action) -> None:
    started = time.monotonic()
    count = action()
    report.add(name, count, time.monotonic() - started)


def _invalidate_caches() -> None:
    """No publish signals were sent: move every cache generation once."""
    for key in (
        CacheGeneration.PODCASTS,
        CacheGeneration.SITEMAP,
        CacheGeneration.GLOSSARY,
        CacheGeneration.NAVIGATION,
        CacheGeneration.CATALOGUE,
    ):
        CacheGeneration.bump(key)


# --- where things go -----------------------------------------------------------------------


@dataclass
class _Context:
    rng: random.Random
    locales: list[Locale]
    homes: dict[str, HomePage]
    shows: dict[str, PodcastShowPage]
    video_indexes: dict[str, ExplainerVideoIndexPage]
    catalogues: dict[str, LearningCatalogPage]
    topics: list[Topic]
    levels: list[MaturityLevel]
    people: dict[str, list[Person]]
    generated_terms: dict[str, list[GlossaryTerm]] = field(default_factory=dict)
    generated_episodes: dict[str, list[PodcastEpisodePage]] = field(default_factory=dict)
    generated_videos: dict[str, list[ExplainerVideoPage]] = field(default_factory=dict)
    generated_units: dict[str, list[LearningUnitPage]] = field(default_factory=dict)

    @classmethod
    def load(cls, codes, rng) -> _Context:
        codes = list(dict.fromkeys(codes))
        if not codes:
            raise GenerationError("No language given.")
        locales = []
        for code in codes:
            locale = Locale.objects.filter(language_code=code).first()
            if locale is None:
                raise GenerationError(
                    f"The site has no locale {code!r}: load the demo content first "
                    "(python manage.py load_demo_content)."
                )
            locales.append(locale)
        source = locales[0]
        home = HomePage.objects.filter(locale=source).first()
        show = PodcastShowPage.objects.filter(locale=source).first()
        index = ExplainerVideoIndexPage.objects.filter(locale=source).first()
        catalogue = LearningCatalogPage.objects.filter(locale=source).first()
        if not (home and show and index and catalogue):
            raise GenerationError(
                "Load the demo content first (python manage.py load_demo_content): generated "
                "pages go below its podcast, 'Kurz erklärt' and catalogue pages."
            )
        glossary = GlossaryPage.objects.filter(locale=source).first()
        context = cls(
            rng=rng,
            locales=locales,
            homes={},
            shows={},
            video_indexes={},
            catalogues={},
            # Pages point at the German snippets; templates show ``.localized`` (as the demo).
            topics=list(Topic.objects.filter(locale=source)),
            levels=list(MaturityLevel.objects.filter(locale=source).order_by("sort_order")),
            people={
                locale.language_code: list(Person.objects.filter(locale=source))
                for locale in locales
            },
        )
        for locale in locales:
            code = locale.language_code
            context.homes[code] = _translation(home, locale)
            context.shows[code] = _translation(show, locale)
            context.video_indexes[code] = _translation(index, locale)
            context.catalogues[code] = _translation(catalogue, locale)
            if glossary is not None:
                _translation(glossary, locale)
        return context


# Titles of the demo's German-only pages when the generator translates them.
TRANSLATED_TITLES = {
    ("en", "kurz-erklaert"): ("Explained in brief", "explained"),
    ("en", "schluesselbegriffe"): ("Key terms", "key-terms"),
}


def _translation(page: Page, locale: Locale) -> Page:
    """The page in ``locale``, translated (and published) the way editors do when missing."""
    page = page.specific
    if page.locale_id == locale.pk:
        return page
    existing = page.get_translations().filter(locale=locale).first()
    if existing is not None:
        return existing.specific
    parent = page.get_parent()
    if parent.locale_id != locale.pk:
        _translation(parent, locale)
    copy = page.copy_for_translation(locale)
    title_and_slug = TRANSLATED_TITLES.get((locale.language_code, page.slug))
    if title_and_slug:
        copy.title, copy.slug = title_and_slug
    copy.save_revision().publish()
    return copy.specific


# --- shared media -----------------------------------------------------------------------------


@dataclass
class _SharedMedia:
    audio: list[MediaFile]
    videos: list[MediaFile]
    images: list[CustomImage]
    document: object


def _ensure_shared_media() -> _SharedMedia:
    """A few real media files with READY renditions, made once per database."""
    audio = [
        _ensure_media_file(f"Audio {n}", f"gen-audio-{n}.wav", _make_audio, n)
        for n in range(1, SHARED_AUDIO + 1)
    ]
    videos = [
        _ensure_media_file(f"Video {n}", f"gen-video-{n}.mp4", _make_video, n)
        for n in range(1, SHARED_VIDEOS + 1)
    ]
    images = [_ensure_image(n) for n in range(1, SHARED_IMAGES + 1)]
    return _SharedMedia(audio=audio, videos=videos, images=images, document=_ensure_document())


def _ensure_media_file(label: str, name: str, make, number: int) -> MediaFile:
    title = MEDIA_TITLE_PREFIX + label
    media_file = MediaFile.objects.filter(title=title).first()
    if media_file is None:
        with tempfile.TemporaryDirectory(prefix="lernfunk-generate-") as folder:
            path = Path(folder) / name
            make(path, number)
            with path.open("rb") as handle:
                try:
                    media_file = create_media_file(File(handle, name=name), title=title)
                except DuplicateMediaError as duplicate:  # the same bytes under another title
                    media_file = duplicate.existing
    _render_inline(media_file)
    return media_file


def _render_inline(media_file: MediaFile) -> None:
    """Run the pipeline's batches in this process, as ``import_media --inline`` does."""
    pending = (
        MediaRendition.objects.filter(media_file=media_file)
        .exclude(status=RenditionStatus.READY)
        .values_list("batch", flat=True)
        .distinct()
    )
    for batch in sorted(set(pending)):
        services.run_batch(media_file.pk, batch)
    states = set(media_file.renditions.values_list("status", flat=True))
    if states != {RenditionStatus.READY}:
        raise GenerationError(f"Media file {media_file.pk} did not render: {sorted(states)}")


def _ffmpeg(*args: str) -> None:
    subprocess.run(
        [ffmpeg_path(), "-v", "error", "-nostdin", "-y", *args], check=True, timeout=120
    )


def _make_audio(path: Path, number: int) -> None:
    """Speech-like pink noise (syllables and pauses) over a quiet tone, in stereo."""
    _ffmpeg(
        "-f", "lavfi", "-i",
        f"anoisesrc=color=pink:amplitude=0.2:duration={AUDIO_SECONDS}:seed={number}:"
        "sample_rate=44100",
        "-f", "lavfi", "-i", f"sine=frequency={200 + 20 * number}:duration={AUDIO_SECONDS}",
        "-filter_complex",
        "[0:a]volume='0.15+0.85*abs(sin(2*PI*3.3*t))*gt(mod(t,6),1)':eval=frame,"
        "lowpass=3500,highpass=120[voice];[1:a]volume=0.05[bed];"
        "[voice][bed]amix=inputs=2:normalize=0",
        "-ac", "2", "-c:a", "pcm_s16le", str(path),
    )  # fmt: skip


def _make_video(path: Path, number: int) -> None:
    """A small landscape clip (one ladder rung): the pages need READY renditions, not size."""
    _ffmpeg(
        "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=25:duration={VIDEO_SECONDS}",
        "-f", "lavfi", "-i", f"sine=frequency={330 + 110 * number}:duration={VIDEO_SECONDS}",
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "96k", "-shortest", "-movflags", "+faststart", str(path),
    )  # fmt: skip


def _ensure_image(number: int) -> CustomImage:
    title = f"{MEDIA_TITLE_PREFIX}Bild {number}"
    existing = CustomImage.objects.filter(title=title).first()
    if existing:
        return existing
    from PIL import Image, ImageDraw

    colours = [(11, 83, 148), (0, 122, 94), (176, 58, 46), (90, 60, 140)]
    canvas = Image.new("RGB", (1200, 675), colours[number % len(colours)])
    draw = ImageDraw.Draw(canvas)
    for step in range(6):
        draw.ellipse((100 + 150 * step, 200, 260 + 150 * step, 360), fill=(255, 191, 71))
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=80)
    image = CustomImage(title=title, credit="Lernfunk (generiert)")
    image.file = ImageFile(buffer, name=f"generiert-{number}.jpg")
    image.save()
    return image


def _ensure_document():
    document_model = get_document_model()
    title = f"{MEDIA_TITLE_PREFIX}Arbeitsblatt"
    existing = document_model.objects.filter(title=title).first()
    if existing:
        return existing
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (595, 842), "white").save(buffer, format="PDF")
    document = document_model(title=title)
    document.file.save("arbeitsblatt.pdf", ContentFile(buffer.getvalue()), save=False)
    document.save()
    return document


# --- texts ------------------------------------------------------------------------------------

WORDS = {
    "de": {
        "subjects": ["Die Tischlerei", "Der Logistiker", "Die Bäckerei", "Das Planungsbüro",
                     "Der Metallbauer", "Die Arztpraxis", "Der Onlinehändler", "Die Druckerei"],
        "verbs": ["digitalisiert", "automatisiert", "vereinfacht", "plant neu", "misst",
                  "sichert", "vernetzt", "überdenkt"],
        "objects": ["die Auftragsplanung", "den Kundenservice", "das Lager", "die Buchhaltung",
                    "die Datensicherung", "die Zeiterfassung", "den Einkauf", "die Produktion"],
        "filler": "Im Gespräch erzählt das Team, was funktioniert hat und was nicht, welche "
                  "Kosten entstanden sind und wie die Beschäftigten mitgenommen wurden.",
        "speaker": ["Moderation", "Gast"],
        "episode": "Folge",
        "unit": "Lerneinheit",
        "video": "Kurz erklärt",
        "path": "Lernpfad",
        "step": ["Einstieg", "Hören und sehen", "Aus der Praxis", "Ihre Checkliste", "Quiz"],
    },
    "en": {
        "subjects": ["The joinery", "The logistics firm", "The bakery", "The planning office",
                     "The metalworker", "The medical practice", "The online shop", "The printer"],
        "verbs": ["digitises", "automates", "simplifies", "rethinks", "measures", "secures",
                  "connects", "reviews"],
        "objects": ["order planning", "customer service", "the warehouse", "bookkeeping",
                    "backups", "time tracking", "purchasing", "production"],
        "filler": "The team tells what worked and what did not, what it cost and how the "
                  "staff came along.",
        "speaker": ["Host", "Guest"],
        "episode": "Episode",
        "unit": "Learning unit",
        "video": "Explained",
        "path": "Learning path",
        "step": ["Getting started", "Listen and watch", "In practice", "Your checklist", "Quiz"],
    },
}  # fmt: skip
TERM_PARTS = (
    ["Daten", "Cloud", "Prozess", "Kunden", "Lager", "Netzwerk", "Sicherheits", "Wissens",
     "Produktions", "Personal", "Rechnungs", "Termin", "Energie", "Qualitäts", "Service",
     "Plattform", "Lieferketten", "Dokumenten", "Maschinen", "Geschäfts"],
    ["management", "analyse", "strategie", "portal", "sicherung", "planung", "automatisierung",
     "steuerung", "kennzahl", "modell", "schnittstelle", "architektur", "richtlinie",
     "dashboard", "konzept", "migration", "prüfung", "archiv", "katalog", "register", "raum",
     "dienst", "profil", "protokoll", "zentrale"],
)  # fmt: skip


def _rng(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - sample texts, not secrets


def _stable(code: str) -> int:
    """A per-language offset for the text generator (``hash`` changes between processes)."""
    return sum(map(ord, code))


def _words(code: str) -> dict:
    return WORDS.get(code, WORDS["en"])


def _sentence(rng, code: str) -> str:
    words = _words(code)
    return (
        f"{rng.choice(words['subjects'])} {rng.choice(words['verbs'])} "
        f"{rng.choice(words['objects'])}."
    )


def _paragraphs(rng, code: str, size: int) -> str:
    """HTML paragraphs of about ``size`` characters."""
    parts, length = [], 0
    while length < size:
        text = f"{_sentence(rng, code)} {_words(code)['filler']}"
        parts.append(f"<p>{text}</p>")
        length += len(text) + 7
    return "".join(parts)


def _clock(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _webvtt(rng, code: str, seconds: float, size: int, speakers=None) -> str:
    """WebVTT of about ``size`` bytes whose cues fill ``seconds`` without overlapping."""
    lines = []
    length = 0
    while length < size:
        line = f"{_sentence(rng, code)} {_words(code)['filler']}"
        lines.append(line)
        length += len(line) + 40
    step = seconds / len(lines)
    cues = ["WEBVTT", ""]
    for number, line in enumerate(lines):
        start, end = number * step, (number + 1) * step - min(0.05, step / 4)
        speaker = f"<v {speakers[number % len(speakers)]}>" if speakers else ""
        cues += [f"{_clock(start)} --> {_clock(end)}", f"{speaker}{line}", ""]
    return "\n".join(cues)


# --- bulk pages -------------------------------------------------------------------------------


def _sibling_slugs(parent: Page) -> set[str]:
    return set(Page.objects.child_of(parent).values_list("slug", flat=True))


def _unique_slug(title: str, taken: set[str]) -> str:
    base = slugify(title, allow_unicode=True)[:200] or "seite"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def _bulk_publish(parent: Page, pages: list[Page], now: dt.datetime) -> list[Page]:
    """Insert ``pages`` (all of one specific model, in memory, child relations assigned) as
    live children of ``parent``, each with one revision that is both latest and live.

    Django's ``bulk_create`` refuses multi-table inheritance, so the ``wagtailcore_page``
    rows are bulk-created first and the specific rows inserted with their primary keys.
    """
    if not pages:
        return pages
    model = type(pages[0])
    parent = Page.objects.get(pk=parent.pk)
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
    content_type = ContentType.objects.get_for_model(model)
    page_type = ContentType.objects.get_for_model(Page)
    for offset, page in enumerate(pages):
        page.path = Page._get_path(parent.path, parent.depth + 1, step + offset)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.locale_id = parent.locale_id
        page.content_type = content_type
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.last_published_at = page.first_published_at or now
        page.latest_revision_created_at = now
        page.draft_title = page.title
        if not page.translation_key:
            page.translation_key = uuid.uuid4()
    base_fields = [f.attname for f in Page._meta.concrete_fields if not f.primary_key]
    base_rows = [Page(**{name: getattr(page, name) for name in base_fields}) for page in pages]
    Page.objects.bulk_create(base_rows, batch_size=BATCH_SIZE)
    for page, row in zip(pages, base_rows, strict=True):
        page.pk = page.id = page.page_ptr_id = row.pk
    local_fields = list(model._meta.local_concrete_fields)
    model._base_manager.all()._batched_insert(pages, local_fields, BATCH_SIZE)
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(pages))

    revisions = [
        Revision(
            content_type=content_type,
            base_content_type=page_type,
            object_id=str(page.pk),
            created_at=now,
            object_str=page.title,
            content=page.serializable_data(),
        )
        for page in pages
    ]
    Revision.objects.bulk_create(revisions, batch_size=BATCH_SIZE)
    for page, row, revision in zip(pages, base_rows, revisions, strict=True):
        page.latest_revision_id = page.live_revision_id = revision.pk
        row.latest_revision_id = row.live_revision_id = revision.pk
    Page.objects.bulk_update(
        base_rows, ["latest_revision", "live_revision"], batch_size=BATCH_SIZE
    )
    _index_for_search(model, pages)
    return pages


def _index_for_search(model, pages) -> None:
    """Admin and site search find generated pages as they find published ones."""
    from wagtail.search.backends import get_search_backends

    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(model, pages)


def _bulk_relations(rows: list) -> None:
    if rows:
        type(rows[0]).objects.bulk_create(rows, batch_size=BATCH_SIZE)


def _m2m_rows(model, field_name: str, pages, values_of) -> list:
    """Rows of a ParentalManyToManyField's through table for ``pages``."""
    through = getattr(model, field_name).through
    source = f"{model._meta.model_name}_id"
    target = next(
        f.attname
        for f in through._meta.concrete_fields
        if f.is_relation and f.attname != source and not f.primary_key
    )
    return [
        through(**{source: page.pk, target: value.pk})
        for page in pages
        for value in values_of(page)
    ]


# --- key terms --------------------------------------------------------------------------------


def _add_terms(context: _Context, count: int) -> int:
    if not count:
        return 0
    rng = context.rng
    taken_names = {name.lower() for name in GlossaryTerm.objects.values_list("term", flat=True)}
    names = []
    prefixes, suffixes = TERM_PARTS
    combinations = [p + s for p in prefixes for s in suffixes]
    rng.shuffle(combinations)
    round_number = 1
    while len(names) < count:
        for name in combinations:
            candidate = name if round_number == 1 else f"{name} {round_number}"
            if candidate.lower() not in taken_names:
                taken_names.add(candidate.lower())
                names.append(candidate)
                if len(names) == count:
                    break
        round_number += 1
    keys = [uuid.uuid4() for _ in names]
    made = 0
    for locale in context.locales:
        code = locale.language_code
        taken = set(GlossaryTerm.objects.filter(locale=locale).values_list("slug", flat=True))
        terms = []
        for name, key in zip(names, keys, strict=True):
            shown = name if code == "de" else f"{name} ({code})"
            terms.append(
                GlossaryTerm(
                    locale=locale,
                    translation_key=key,
                    term=shown,
                    slug=_unique_slug(shown, taken)[:100],
                    short_definition=_sentence(rng, code),
                    explanation=_paragraphs(rng, code, 400),
                    synonyms=f"{shown}s\n{shown[:3].upper()}-{rng.randint(1, 99)}",
                )
            )
        GlossaryTerm.objects.bulk_create(terms, batch_size=BATCH_SIZE)
        context.generated_terms[code] = terms
        _index_for_search(GlossaryTerm, terms)
        made += len(terms)
    return made


# --- episodes ---------------------------------------------------------------------------------


def _add_episodes(context: _Context, media: _SharedMedia, count: int) -> int:
    if not count:
        return 0
    rng = context.rng
    source_show = context.shows[context.locales[0].language_code]
    first_number = (
        max(
            PodcastEpisodePage.objects.child_of(source_show).values_list(
                "episode_number", flat=True
            ),
            default=0,
            key=lambda number: number or 0,
        )
        or 0
    ) + 1
    keys = [uuid.uuid4() for _ in range(count)]
    seeds = [rng.randrange(1 << 30) for _ in range(count)]
    start = timezone.now() - dt.timedelta(days=7 * count)
    made = 0
    for locale in context.locales:
        code = locale.language_code
        show = context.shows[code]
        taken = _sibling_slugs(show)
        people = context.people[code]
        words = _words(code)
        pages, chapters, persons = [], [], []
        for index in range(count):
            text_rng = _rng(seeds[index] + _stable(code))
            number = first_number + index
            title = f"{words['episode']} {number}: {_sentence(text_rng, code)[:-1]}"
            audio = media.audio[index % len(media.audio)]
            page = PodcastEpisodePage(
                title=title,
                slug=_unique_slug(title, taken),
                translation_key=keys[index],
                guid=uuid.uuid4(),
                summary=_sentence(text_rng, code) + " " + words["filler"],
                show_notes=_paragraphs(text_rng, code, 2000),
                audio=audio,
                episode_number=number,
                season_number=1 + index // 100,
                transcript=_webvtt(
                    text_rng, code, audio.duration or AUDIO_SECONDS, 30_000, words["speaker"]
                ),
                search_description=_sentence(text_rng, code),
            )
            duration = audio.duration or AUDIO_SECONDS
            page_chapters = [
                EpisodeChapter(
                    start=dt.timedelta(seconds=round(duration * part / 4)),
                    title=f"{words['step'][part]}",
                    sort_order=part,
                )
                for part in range(4)
            ]
            chosen = text_rng.sample(people, min(2, len(people)))
            page_people = [
                EpisodePerson(person=person, role=role, sort_order=order)
                for order, (person, role) in enumerate(zip(chosen, ROLES, strict=False))
            ]
            page.chapters = page_chapters
            page.persons = page_people
            page.topics = [context.topics[index % len(context.topics)]] if context.topics else []
            page.maturity_levels = (
                [context.levels[index % len(context.levels)]] if context.levels else []
            )
            page.first_published_at = start + dt.timedelta(days=7 * index)
            pages.append(page)
        _bulk_publish(show, pages, timezone.now())
        for page in pages:
            for chapter in page.chapters.all():
                chapters.append(
                    EpisodeChapter(
                        page_id=page.pk,
                        start=chapter.start,
                        title=chapter.title,
                        sort_order=chapter.sort_order,
                    )
                )
            for person in page.persons.all():
                persons.append(
                    EpisodePerson(
                        page_id=page.pk,
                        person_id=person.person_id,
                        role=person.role,
                        sort_order=person.sort_order,
                    )
                )
        _bulk_relations(chapters)
        _bulk_relations(persons)
        _bulk_relations(_m2m_rows(PodcastEpisodePage, "topics", pages, _m2m_values("topics")))
        _bulk_relations(
            _m2m_rows(PodcastEpisodePage, "maturity_levels", pages, _m2m_values("maturity_levels"))
        )
        context.generated_episodes[code] = pages
        made += len(pages)
    return made


def _chooser_rows(model, field: str, items) -> list:
    """Orderable chooser rows (a video's key terms, related pages) in the given order."""
    return [model(**{field: item, "sort_order": order}) for order, item in enumerate(items)]


def _child_rows(pages, relation: str) -> list:
    """The in-memory child rows of ``relation`` of pages just inserted, ready to insert."""
    rows = []
    for page in pages:
        for row in getattr(page, relation).all():
            row.page_id = page.pk
            rows.append(row)
    return rows


def _m2m_values(name: str):
    return lambda page: list(getattr(page, name).all())


# --- explainer videos -------------------------------------------------------------------------


def _add_videos(context: _Context, media: _SharedMedia, count: int) -> int:
    if not count:
        return 0
    rng = context.rng
    keys = [uuid.uuid4() for _ in range(count)]
    seeds = [rng.randrange(1 << 30) for _ in range(count)]
    made = 0
    for locale in context.locales:
        code = locale.language_code
        index_page = context.video_indexes[code]
        taken = _sibling_slugs(index_page)
        words = _words(code)
        terms = context.generated_terms.get(code) or list(
            GlossaryTerm.objects.filter(locale=locale)[:50]
        )
        episodes = context.generated_episodes.get(code, [])
        units = list(LearningUnitPage.objects.live().filter(locale=locale)[:20])
        pages, tracks = [], []
        for index in range(count):
            text_rng = _rng(seeds[index] + _stable(code))
            video = media.videos[index % len(media.videos)]
            chosen_terms = text_rng.sample(terms, min(3, len(terms)))
            sentences = [_sentence(text_rng, code) for _ in range(4)]
            # The summary mentions the key terms, so the page links them as editors' do.
            summary = " ".join(sentences[:2]) + " " + ", ".join(t.term for t in chosen_terms)
            title = f"{words['video']} {index + 1}: {sentences[0][:-1]}"
            page = ExplainerVideoPage(
                title=title,
                slug=_unique_slug(title, taken),
                translation_key=keys[index],
                guid=uuid.uuid4(),
                summary=summary,
                video=video,
                poster_image=media.images[index % len(media.images)],
                transcript="\n\n".join(sentences),
                search_description=sentences[1],
            )
            seconds = video.duration or VIDEO_SECONDS
            page_tracks = [
                VideoTextTrack(
                    kind="captions",
                    language=language,
                    webvtt=_webvtt(text_rng, language, seconds, 600),
                    sort_order=order,
                )
                for order, language in enumerate(["de", *([code] if code != "de" else ["en"])])
            ]
            page.text_tracks = page_tracks
            page.key_term_links = _chooser_rows(VideoKeyTerm, "term", chosen_terms)
            page.topics = [context.topics[index % len(context.topics)]] if context.topics else []
            page.maturity_levels = (
                [context.levels[index % len(context.levels)]] if context.levels else []
            )
            page.presenters = context.people[code][:1]
            page.related_episode_links = _chooser_rows(
                VideoRelatedEpisode,
                "episode",
                text_rng.sample(episodes, min(2, len(episodes))),
            )
            page.related_unit_links = _chooser_rows(
                VideoRelatedUnit, "unit", text_rng.sample(units, min(2, len(units)))
            )
            pages.append(page)
        _bulk_publish(index_page, pages, timezone.now())
        for page in pages:
            for track in page.text_tracks.all():
                tracks.append(
                    VideoTextTrack(
                        page_id=page.pk,
                        kind=track.kind,
                        language=track.language,
                        webvtt=track.webvtt,
                        sort_order=track.sort_order,
                    )
                )
        _bulk_relations(tracks)
        for relation in ("key_term_links", "related_episode_links", "related_unit_links"):
            _bulk_relations(_child_rows(pages, relation))
        context.generated_videos[code] = pages
        for name in ("topics", "maturity_levels", "presenters"):
            _bulk_relations(_m2m_rows(ExplainerVideoPage, name, pages, _m2m_values(name)))
        made += len(pages)
    return made


# --- self-learning units and paths ------------------------------------------------------------


def _block(kind, value, block_id):
    return {"type": kind, "value": value, "id": block_id}


def _unit_steps(rng, code, media, episode, video, ids) -> list[dict]:
    """Five steps with text, video, podcast, image, document, practice example, checklist,
    reflection and quiz blocks. ``ids`` yields the block ids (shared by the translations)."""
    words = _words(code)
    titles = words["step"]

    def step(number, minutes, completion, content, seconds=None):
        return _block(
            "step",
            {
                "title": titles[number],
                "estimated_minutes": minutes,
                "completion": completion,
                "minimum_seconds": seconds,
                "optional": False,
                "content": content,
            },
            next(ids),
        )

    media_blocks = []
    video_id, episode_id = next(ids), next(ids)  # taken even when absent: ids stay aligned
    if video is not None:
        media_blocks.append(_block("video", video.pk, video_id))
    if episode is not None:
        media_blocks.append(
            _block(
                "podcast_episode",
                {"episode": episode.pk, "intro": _sentence(rng, code)},
                episode_id,
            )
        )
    media_blocks += [
        _block(
            "image",
            {
                "image": {
                    "image": rng.choice(media.images).pk,
                    "alt_text": _sentence(rng, code),
                    "decorative": False,
                },
                "caption": _sentence(rng, code),
            },
            next(ids),
        ),
        _block(
            "document",
            {"document": media.document.pk, "title": "PDF", "description": _sentence(rng, code)},
            next(ids),
        ),
    ]
    items = [{"type": "item", "value": _sentence(rng, code), "id": next(ids)} for _ in range(4)]
    options = [
        {
            "type": "item",
            "value": {"text": _sentence(rng, code), "correct": n == 0, "feedback": ""},
            "id": next(ids),
        }
        for n in range(3)
    ]
    question = {
        "type": "item",
        "value": {
            "question": _sentence(rng, code),
            "kind": "single",
            "explanation": _sentence(rng, code),
            "options": options,
        },
        "id": next(ids),
    }
    return [
        step(0, 5, "viewed", [_block("text", _paragraphs(rng, code, 1200), next(ids))]),
        step(1, 10, "time_spent", media_blocks, seconds=60),
        step(
            2,
            5,
            "viewed",
            [
                _block(
                    "practice_example",
                    {
                        "company": rng.choice(words["subjects"]),
                        "sector": "",
                        "size": f"{rng.randint(5, 250)}",
                        "challenge": _sentence(rng, code),
                        "approach": _sentence(rng, code),
                        "result": _sentence(rng, code),
                        "quote": _sentence(rng, code),
                        "quote_attribution": "",
                    },
                    next(ids),
                )
            ],
        ),
        step(
            3,
            10,
            "marked_done",
            [
                _block(
                    "checklist",
                    {"title": titles[3], "intro": "", "items": items},
                    next(ids),
                ),
                _block(
                    "reflection",
                    {"question": _sentence(rng, code), "hint": ""},
                    next(ids),
                ),
            ],
        ),
        step(
            4,
            5,
            "quiz_passed",
            [
                _block(
                    "quiz",
                    {
                        "title": titles[4],
                        "questions": [question],
                        "pass_threshold": 70,
                        "max_attempts": 0,
                    },
                    next(ids),
                )
            ],
        ),
    ]


def _add_units(context: _Context, media: _SharedMedia, count: int) -> int:
    if not count:
        return 0
    from cms.learning.models import LearningFormat

    rng = context.rng
    keys = [uuid.uuid4() for _ in range(count)]
    seeds = [rng.randrange(1 << 30) for _ in range(count)]
    made = 0
    for locale in context.locales:
        code = locale.language_code
        catalogue = context.catalogues[code]
        taken = _sibling_slugs(catalogue)
        words = _words(code)
        episodes = context.generated_episodes.get(code) or list(
            PodcastEpisodePage.objects.live().filter(locale=locale)[:20]
        )
        videos = context.generated_videos.get(code) or list(
            ExplainerVideoPage.objects.live().filter(locale=locale)[:20]
        )
        pages = []
        for index in range(count):
            text_rng = _rng(seeds[index] + _stable(code))
            # Block ids are the same in every language: they key the learners' progress.
            ids = iter(str(uuid.UUID(int=_rng(seeds[index]).getrandbits(128) + n))
                       for n in range(10_000))  # fmt: skip
            episode = episodes[index % len(episodes)] if episodes else None
            video = videos[index % len(videos)] if videos else None
            steps = _unit_steps(text_rng, code, media, episode, video, ids)
            low = index % len(context.levels)
            high = min(low + index % 2, len(context.levels) - 1)
            title = f"{words['unit']} {index + 1}: {_sentence(text_rng, code)[:-1]}"
            formats = {"text", *(["video"] if video else []), *(["audio"] if episode else [])}
            page = LearningUnitPage(
                title=title,
                slug=_unique_slug(title, taken),
                translation_key=keys[index],
                teaser=_sentence(text_rng, code) + " " + words["filler"],
                objectives="<ul>"
                + "".join(f"<li>{_sentence(text_rng, code)}</li>" for _ in range(3))
                + "</ul>",
                target_group=_sentence(text_rng, code),
                level_min=context.levels[low],
                level_max=context.levels[high],
                steps=steps,
                total_minutes=sum(step["value"]["estimated_minutes"] for step in steps),
                formats=",".join(f for f in LearningFormat.values if f in formats),
                search_description=_sentence(text_rng, code),
            )
            # What save() would store (bulk inserts skip it): the catalogue's statuses need it.
            page.required_step_ids = required_step_ids(page.steps.get_prep_value())
            page.topics = (
                text_rng.sample(context.topics, min(2, len(context.topics)))
                if context.topics
                else []
            )
            page.authors = context.people[code][:1]
            pages.append(page)
        _bulk_publish(catalogue, pages, timezone.now())
        for name in ("topics", "authors"):
            _bulk_relations(_m2m_rows(LearningUnitPage, name, pages, _m2m_values(name)))
        context.generated_units[code] = pages
        made += len(pages)
    return made


def _add_paths(context: _Context, count: int) -> int:
    if not count:
        return 0
    rng = context.rng
    keys = [uuid.uuid4() for _ in range(count)]
    seeds = [rng.randrange(1 << 30) for _ in range(count)]
    made = 0
    for locale in context.locales:
        code = locale.language_code
        catalogue = context.catalogues[code]
        taken = _sibling_slugs(catalogue)
        words = _words(code)
        units = context.generated_units.get(code) or list(
            LearningUnitPage.objects.live().filter(locale=locale)
        )
        if not units:
            continue
        pages = []
        for index in range(count):
            text_rng = _rng(seeds[index] + _stable(code))
            members = _rng(seeds[index]).sample(units, min(5, len(units)))
            title = f"{words['path']} {index + 1}: {_sentence(text_rng, code)[:-1]}"
            page = LearningPathPage(
                title=title,
                slug=_unique_slug(title, taken),
                translation_key=keys[index],
                intro=_paragraphs(text_rng, code, 300),
                search_description=_sentence(text_rng, code),
            )
            page.path_units = [
                PathUnit(unit=unit, sort_order=order) for order, unit in enumerate(members)
            ]
            pages.append(page)
        _bulk_publish(catalogue, pages, timezone.now())
        _bulk_relations(
            [
                PathUnit(path_id=page.pk, unit_id=row.unit_id, sort_order=row.sort_order)
                for page in pages
                for row in page.path_units.all()
            ]
        )
        made += len(pages)
    return made
