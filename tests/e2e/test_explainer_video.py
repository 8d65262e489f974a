"""Explainer videos in a real browser: a real H.264 MP4 plays, captions show, the embed plays
inside an iframe on a page of another origin, and axe finds no serious problems."""

import functools
import http.server
import threading

import pytest
from django.core.files import File
from django.core.files.base import ContentFile
from factory.django import ImageField

from cms.videos.models import (
    ExplainerVideoIndexPage,
    ExplainerVideoPage,
    GlossaryPage,
    GlossaryTerm,
    VideoTextTrack,
)
from media_pipeline.models import MediaKind, RenditionStatus
from media_pipeline.specs import (
    VIDEO_HLS_SPEC,
    VIDEO_LADDER_SPECS,
    VIDEO_POSTER_SPEC,
    VIDEO_SPRITE_SPEC,
)
from tests.cms.factories import ImageFactory
from tests.media_pipeline.conftest import generate
from tests.media_pipeline.factories import MediaFileFactory, MediaRenditionFactory

pytestmark = pytest.mark.django_db(transaction=True)

DURATION = 6.0
CAPTIONS = """WEBVTT

00:00:00.000 --> 00:00:03.000
Was ist eine Cloud?

00:00:03.000 --> 00:00:06.000
Ein Rechenzentrum, das Sie über das Internet nutzen.
"""


@pytest.fixture
def real_video(tmp_path):
    mp4 = generate(
        tmp_path / "cloud.mp4",
        "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=25:duration={DURATION:g}",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={DURATION:g}",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "64k", "-shortest", "-movflags", "+faststart",
    )  # fmt: skip
    poster = generate(tmp_path / "poster.jpg", "-i", str(mp4), "-frames:v", "1")
    sprite = generate(
        tmp_path / "sprite.jpg", "-i", str(mp4),
        "-vf", "fps=1/2,scale=160:90,tile=3x1", "-frames:v", "1",
    )  # fmt: skip
    media = MediaFileFactory(kind=MediaKind.VIDEO, duration=DURATION, width=640, height=360)
    for spec, path, mime in (
        (VIDEO_LADDER_SPECS[360], mp4, "video/mp4"),
        (VIDEO_POSTER_SPEC, poster, "image/jpeg"),
        (VIDEO_SPRITE_SPEC, sprite, "image/jpeg"),
    ):
        with path.open("rb") as handle:
            MediaRenditionFactory(
                media_file=media,
                spec=spec,
                status=RenditionStatus.READY,
                file=File(handle, name=path.name),
                file_size=path.stat().st_size,
                mime_type=mime,
                duration=DURATION,
                width=640,
                height=360,
            )
    # The thumbnails track lives next to the sprite, same name with .vtt (media_pipeline.video).
    stored = media.renditions.get(spec=VIDEO_SPRITE_SPEC).file
    cues = "".join(
        f"\n00:00:0{2 * n}.000 --> 00:00:0{2 * n + 2}.000\nsprite.jpg#xywh={160 * n},0,160,90\n"
        for n in range(3)
    )
    track = ContentFile(f"WEBVTT\n{cues}".encode())
    stored.storage.save(stored.name.removesuffix(".jpg") + ".vtt", track)
    return media


@pytest.fixture
def video_page(home_pages, real_video):
    home, _english = home_pages
    index = home.add_child(
        instance=ExplainerVideoIndexPage(
            title="Kurz erklärt",
            slug="kurz-erklaert",
            locale=home.locale,
            artwork=ImageFactory(file=ImageField(width=1400, height=1400)),
        )
    )
    index.save_revision().publish()
    glossary = index.add_child(
        instance=GlossaryPage(title="Schlüsselbegriffe", slug="begriffe", locale=home.locale)
    )
    glossary.save_revision().publish()
    term = GlossaryTerm.objects.create(
        term="Cloud",
        slug="cloud",
        short_definition="Rechenleistung und Speicher aus dem Internet.",
        locale=home.locale,
    )
    GlossaryTerm.objects.create(
        term="Rechenzentrum",
        slug="rechenzentrum",
        short_definition="Ein Gebäude voller Server.",
        locale=home.locale,
    )
    page = index.add_child(
        instance=ExplainerVideoPage(
            title="Was ist eine Cloud?",
            slug="was-ist-eine-cloud",
            summary="Die Cloud in sechs Sekunden erklärt.",
            transcript="Was ist eine Cloud? Ein Rechenzentrum, das Sie über das Internet nutzen.",
            video=real_video,
            locale=home.locale,
            text_tracks=[VideoTextTrack(language="de", webvtt=CAPTIONS)],
            live=False,
        )
    )
    page.glossary_terms.set([term])
    page.save_revision().publish()
    return ExplainerVideoPage.objects.get(pk=page.pk)


def wait_until_playing(target):
    target.evaluate("document.querySelector('video').play()")
    target.wait_for_function("() => document.querySelector('video').currentTime > 0.5")


def test_video_page_plays_and_shows_german_captions(page, live_server, video_page):
    page.goto(f"{live_server.url}{video_page.url}")

    assert page.evaluate("document.querySelector('video').autoplay") is False
    assert page.evaluate("document.querySelector('video').paused") is True
    wait_until_playing(page)
    page.wait_for_function(
        "() => { const t = document.querySelector('video').textTracks[0];"
        " return t.mode === 'showing' && t.cues && t.cues.length === 2; }"
    )
    page.wait_for_function(
        "() => document.querySelector('video').textTracks[0].activeCues.length > 0"
    )
    active = page.evaluate("document.querySelector('video').textTracks[0].activeCues[0].text")
    assert active in {
        "Was ist eine Cloud?",
        "Ein Rechenzentrum, das Sie über das Internet nutzen.",
    }
    assert page.evaluate("document.querySelector('video').textTracks[0].language") == "de"


def test_video_is_keyboard_operable(page, live_server, video_page):
    page.goto(f"{live_server.url}{video_page.url}")

    page.locator("video").focus()
    assert page.evaluate("document.activeElement.tagName") == "VIDEO"
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelector('video').currentTime > 0.3")


def test_a_time_link_starts_the_video_page_and_the_embed_at_that_second(
    page, live_server, video_page
):
    # "?t=4" is what a search hit in the captions links to (and a shared link). The test
    # server answers media without Range, so Chromium cannot seek there (it stays at 0): the
    # test records the position the player asks for, and that it does not play by itself.
    page.add_init_script(
        "const time = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype,"
        " 'currentTime');"
        "Object.defineProperty(HTMLMediaElement.prototype, 'currentTime', {"
        " configurable: true, get() { return time.get.call(this); },"
        " set(value) { window.seekedTo = value; time.set.call(this, value); } });"
    )
    for url in (video_page.url, video_page.embed_path()):
        page.goto(f"{live_server.url}{url}?t=4")
        page.wait_for_function("() => window.seekedTo !== undefined")
        assert page.evaluate("window.seekedTo") == pytest.approx(4, abs=0.1)
        assert page.evaluate("document.querySelector('video').paused") is True


def test_scrubbing_with_the_keyboard_shows_sprite_thumbnails(page, live_server, video_page):
    page.goto(f"{live_server.url}{video_page.url}")
    # The test server's media handler (Django's, not ours) answers no Range requests, so
    # Chromium cannot finish a seek there: the test checks that one is started.
    page.evaluate(
        "document.querySelector('video').addEventListener('seeking',"
        " () => { window.seekRequested = true; })"
    )

    slider = page.get_by_label("Position mit Vorschau")
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")

    preview = page.locator(".video-scrubber__preview")
    assert preview.is_visible()
    assert "sprite.jpg" in preview.evaluate("el => el.style.backgroundImage")
    assert preview.evaluate("el => el.style.backgroundPosition") == "-160px 0px"
    assert slider.get_attribute("aria-valuetext") == "0:03"
    assert page.evaluate("window.seekRequested") is True


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def partner_site(tmp_path, live_server, video_page):
    """A page of a partner site on another origin (another port) with the embed iframe."""
    (tmp_path / "index.html").write_text(
        "<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'><title>Kammer</title>"
        "</head><body><main><h1>Handwerkskammer</h1>"
        f"<iframe src='{live_server.url}/embed/video/{video_page.pk}/' width='640' "
        "height='400' title='Was ist eine Cloud?' allow='autoplay'></iframe></main></body></html>",
        encoding="utf-8",
    )
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_embed_plays_inside_an_iframe_on_another_origin(page, live_server, partner_site):
    page.goto(partner_site)

    frame = page.frame_locator("iframe")
    frame.locator("video").wait_for()
    embedded = next(f for f in page.frames if "/embed/video/" in f.url)
    assert embedded.url.startswith(live_server.url)
    assert not partner_site.startswith(live_server.url)
    wait_until_playing(embedded)
    embedded.wait_for_function(
        "() => { const t = document.querySelector('video').textTracks[0];"
        " return t.mode === 'showing' && t.cues && t.cues.length > 0; }"
    )
    assert page.context.cookies(live_server.url) == []


@pytest.mark.parametrize(
    "path", ["video", "glossary", "embed"], ids=["video-page", "glossary", "embed"]
)
def test_video_pages_have_no_serious_accessibility_problems(
    page, live_server, video_page, assert_accessible, path
):
    url = {
        "video": video_page.url,
        "glossary": "/de/kurz-erklaert/begriffe/",
        "embed": f"/embed/video/{video_page.pk}/",
    }[path]

    page.goto(f"{live_server.url}{url}")
    page.locator("video" if path != "glossary" else "h1").first.wait_for()

    assert_accessible(page)


def test_a_video_made_by_the_real_pipeline_plays(page, live_server, home_pages, tmp_path):
    """The whole profile (ladder, HLS, poster, sprite) rendered here by the pipeline itself."""
    from media_pipeline.services import transcode_rendition
    from media_pipeline.uploads import create_media_file

    source = generate(
        tmp_path / "upload.mp4",
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=4",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=4",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-shortest",
    )  # fmt: skip
    with source.open("rb") as handle:
        media = create_media_file(File(handle, name="upload.mp4"), title="Cloud")
    for rendition in media.renditions.all():
        transcode_rendition(rendition.pk)
    home, _english = home_pages
    index = home.add_child(
        instance=ExplainerVideoIndexPage(title="Kurz erklärt", slug="kurz", locale=home.locale)
    )
    index.save_revision().publish()
    video = index.add_child(
        instance=ExplainerVideoPage(
            title="Cloud",
            slug="cloud",
            summary="Kurz erklärt.",
            video=media,
            locale=home.locale,
            text_tracks=[VideoTextTrack(language="de", webvtt=CAPTIONS.replace("00:06", "00:04"))],
            live=False,
        )
    )
    video.save_revision().publish()

    page.goto(f"{live_server.url}{video.url}")

    assert page.locator("video source").count() == 2  # HLS master, then the 360 rung
    wait_until_playing(page)
    # The browser picks the HLS master where it plays HLS natively (recent Chromium does),
    # else the MP4 rung; either comes from wherever media lives (the app or the S3 endpoint).
    offered = {
        url if url.startswith("http") else f"{live_server.url}{url}"
        for url in (
            media.renditions.get(spec=VIDEO_HLS_SPEC).url,
            media.renditions.get(spec=VIDEO_LADDER_SPECS[360]).url,
        )
    }
    assert page.evaluate("document.querySelector('video').currentSrc") in offered
    # The scrubber is added once the sprite's WebVTT track has been fetched (from the app or
    # the S3 endpoint): wait for it instead of racing the fetch.
    page.locator(".video-scrubber input[type=range]").wait_for()
    assert page.locator(".video-scrubber input[type=range]").count() == 1
