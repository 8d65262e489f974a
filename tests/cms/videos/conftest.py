import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.files import File
from factory.django import ImageField
from wagtail.models import Page

from cms.videos.models import (
    ExplainerVideoIndexPage,
    ExplainerVideoPage,
    GlossaryPage,
    GlossaryTerm,
    VideoTextTrack,
)
from cms.videos.renditions import VIDEO_LADDER_SPECS, VIDEO_POSTER_SPEC
from media_pipeline.models import MediaKind, RenditionStatus
from tests.cms.factories import ImageFactory
from tests.media_pipeline.conftest import generate
from tests.media_pipeline.factories import MediaFileFactory, MediaRenditionFactory

DURATION = 2.0
GERMAN_CAPTIONS = """WEBVTT

00:00:00.000 --> 00:00:01.000
<v Anna Schmidt>Was ist eine Cloud?

00:00:01.000 --> 00:00:02.000
Die Cloud speichert Daten im Rechenzentrum.
"""
ENGLISH_CAPTIONS = """WEBVTT

00:00:00.000 --> 00:00:01.000
What is a cloud?

00:00:01.000 --> 00:00:02.000
The cloud stores data in a data centre.
"""


@pytest.fixture(autouse=True)
def _empty_feed_cache():
    caches[settings.FEED_CACHE_ALIAS].clear()


@pytest.fixture(scope="session")
def video_files(tmp_path_factory):
    """A real 2 s 640×360 H.264/AAC MP4 (faststart) and a JPEG poster, made once."""
    folder = tmp_path_factory.mktemp("video")
    mp4 = generate(
        folder / "erklaert.mp4",
        "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=25:duration={DURATION:g}",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={DURATION:g}",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "64k", "-shortest", "-movflags", "+faststart",
    )  # fmt: skip
    poster = generate(folder / "poster.jpg", "-i", str(mp4), "-frames:v", "1")
    return {"mp4": mp4, "poster": poster}


@pytest.fixture
def ready_video(video_files):
    """Make a VIDEO media file whose 360p rung and poster are READY real files."""

    def make(**kwargs):
        media = MediaFileFactory(
            kind=MediaKind.VIDEO, duration=DURATION, width=640, height=360, **kwargs
        )
        mp4 = video_files["mp4"]
        with mp4.open("rb") as handle:
            MediaRenditionFactory(
                media_file=media,
                spec=VIDEO_LADDER_SPECS[360],
                status=RenditionStatus.READY,
                file=File(handle, name="erklaert-360.mp4"),
                file_size=mp4.stat().st_size,
                mime_type="video/mp4",
                duration=DURATION,
                bitrate=500_000,
                width=640,
                height=360,
            )
        with video_files["poster"].open("rb") as handle:
            MediaRenditionFactory(
                media_file=media,
                spec=VIDEO_POSTER_SPEC,
                status=RenditionStatus.READY,
                file=File(handle, name="erklaert-poster.jpg"),
                file_size=video_files["poster"].stat().st_size,
                mime_type="image/jpeg",
                width=640,
                height=360,
            )
        return media

    return make


@pytest.fixture
def video_index(home_pages):
    home, _english = home_pages
    index = home.add_child(
        instance=ExplainerVideoIndexPage(
            title="Kurz erklärt",
            slug="kurz-erklaert",
            intro="Digitalisierung in drei Minuten.",
            locale=home.locale,
            artwork=ImageFactory(file=ImageField(width=1400, height=1400)),
            owner_name="Mittelstand-Digital Zentrum",
            owner_email="video@example.org",
            author="Mittelstand-Digital Zentrum",
        )
    )
    index.save_revision().publish()
    index.refresh_from_db()
    return index


@pytest.fixture
def glossary(video_index):
    page = video_index.add_child(
        instance=GlossaryPage(
            title="Schlüsselbegriffe", slug="begriffe", locale=video_index.locale
        )
    )
    page.save_revision().publish()
    for term, slug, definition, synonyms in (
        ("Cloud", "cloud", "Rechenleistung und Speicher aus dem Internet.", "Clouds\nWolke"),
        ("Rechenzentrum", "rechenzentrum", "Ein Gebäude voller Server.", ""),
        ("Ärztesoftware", "aerztesoftware", "Software für Arztpraxen.", ""),
        ("API", "api", "Eine Schnittstelle zwischen Programmen.", ""),
    ):
        GlossaryTerm.objects.create(
            term=term,
            slug=slug,
            short_definition=definition,
            synonyms=synonyms,
            locale=video_index.locale,
        )
    return page


@pytest.fixture
def publish_video(video_index, ready_video):
    """Create and publish a video page with German (and optionally English) captions."""

    def publish(*, english=False, media="ready", **fields):
        fields.setdefault("title", "Was ist eine Cloud?")
        fields.setdefault("slug", "was-ist-eine-cloud")
        fields.setdefault(
            "summary", "Die Cloud erklärt in zwei Sekunden: Daten liegen im Rechenzentrum."
        )
        video = ready_video() if media == "ready" else media
        tracks = [VideoTextTrack(language="de", webvtt=GERMAN_CAPTIONS)]
        if english:
            tracks.append(VideoTextTrack(language="en", webvtt=ENGLISH_CAPTIONS))
        page = video_index.add_child(
            instance=ExplainerVideoPage(
                locale=video_index.locale, video=video, live=False, text_tracks=tracks, **fields
            )
        )
        page.save_revision().publish()
        page.refresh_from_db()
        return Page.objects.get(pk=page.pk).specific

    return publish
