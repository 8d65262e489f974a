"""The episode player in a real browser: real MP3, chapters, speed, keyboard, transcript."""

import re
from datetime import timedelta

import pytest
from django.core.files import File
from playwright.sync_api import expect

from cms.podcasts.models import EpisodeChapter, EpisodePerson
from media_pipeline.models import RenditionStatus
from media_pipeline.specs import PODCAST_MP3_SPEC
from tests.cms.factories import PersonFactory, PodcastEpisodePageFactory, PodcastShowPageFactory
from tests.media_pipeline.conftest import generate
from tests.media_pipeline.factories import MediaFileFactory, MediaRenditionFactory

pytestmark = pytest.mark.django_db(transaction=True)

DURATION = 20.0
TRANSCRIPT = """WEBVTT

00:00:00.000 --> 00:00:07.000
<v Anna Schmidt>Willkommen beim Podcast.

00:00:07.000 --> 00:00:14.000
<v Jonas Weber>Danke für die Einladung.

00:00:14.000 --> 00:00:20.000
<v Anna Schmidt>Zum Schluss ein Ausblick.
"""


@pytest.fixture
def real_audio(tmp_path):
    """A media file whose READY MP3 rendition is a real 20 s MP3 made by ffmpeg."""
    mp3 = generate(
        tmp_path / "folge.mp3",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={DURATION:g}",
        "-ac", "1", "-c:a", "libmp3lame", "-b:a", "32k",
    )  # fmt: skip
    media = MediaFileFactory(duration=DURATION)
    with mp3.open("rb") as handle:
        MediaRenditionFactory(
            media_file=media,
            spec=PODCAST_MP3_SPEC,
            status=RenditionStatus.READY,
            file=File(handle, name="folge.mp3"),
            file_size=mp3.stat().st_size,
            mime_type="audio/mpeg",
            duration=DURATION,
            bitrate=32000,
        )
    return media


@pytest.fixture
def episode(home_pages, real_audio):
    home, _english = home_pages
    show = PodcastShowPageFactory(parent=home, slug="smarter-mittelstand")
    show.save_revision().publish()
    episode = PodcastEpisodePageFactory(
        parent=show,
        live=False,
        title="Folge 1: Auftragsplanung",
        slug="auftragsplanung",
        audio=real_audio,
        transcript=TRANSCRIPT,
        chapters=[
            EpisodeChapter(start=timedelta(0), title="Einstieg"),
            EpisodeChapter(start=timedelta(seconds=8), title="Die Umstellung"),
            EpisodeChapter(start=timedelta(seconds=15), title="Ausblick"),
        ],
        persons=[EpisodePerson(person=PersonFactory(name="Anna Schmidt"), role="host")],
    )
    episode.save_revision().publish()
    episode.refresh_from_db()
    return episode


def current_time(page) -> float:
    return page.evaluate("document.querySelector('[data-player-audio]').currentTime")


def wait_for_time(page, condition: str):
    page.wait_for_function(
        f"() => {{ const t = document.querySelector('[data-player-audio]').currentTime;"
        f" return {condition}; }}"
    )


def test_episode_player_plays_seeks_and_follows_the_transcript(page, episode, assert_accessible):
    page.goto(episode.url)
    audio = page.locator("audio[data-player-audio]")
    expect(audio.locator("source")).to_have_attribute("src", f"/podcast-audio/{episode.guid}.mp3")
    page.wait_for_function("() => document.querySelector('[data-player-audio]').readyState >= 1")
    assert audio.evaluate("a => a.duration") == pytest.approx(DURATION, abs=0.5)

    # Play: time advances.
    audio.evaluate("a => a.play()")
    wait_for_time(page, "t > 0.3")
    expect(page.locator(".cue--current")).to_have_text("Willkommen beim Podcast.")

    # A chapter button seeks to its start and marks itself current.
    chapter = page.locator(".chapter-button", has_text="Die Umstellung")
    chapter.click()
    wait_for_time(page, "t >= 8")
    assert current_time(page) == pytest.approx(8, abs=1)
    expect(chapter).to_have_attribute("aria-current", "true")
    expect(page.locator(".cue--current")).to_have_text("Danke für die Einladung.")
    expect(page.locator("[data-player-status]")).to_contain_text("Die Umstellung")

    # Playback speed.
    page.locator("#playback-rate").select_option("1.5")
    assert audio.evaluate("a => a.playbackRate") == 1.5

    # Keyboard: from the download link, Tab through the chapters and press Enter.
    page.locator(".download-link").focus()
    last = page.locator(".chapter-button", has_text="Ausblick")
    for expected in ("Einstieg", "Die Umstellung", "Ausblick"):
        page.keyboard.press("Tab")
        expect(page.locator(".chapter-button", has_text=expected)).to_be_focused()
    page.keyboard.press("Enter")
    wait_for_time(page, "t >= 15")
    # Paused here, or the last five seconds at 1.5× might end before the checks below.
    audio.evaluate("a => a.pause()")
    assert current_time(page) == pytest.approx(15, abs=1)
    expect(last).to_have_attribute("aria-current", "true")
    expect(chapter).not_to_have_attribute("aria-current", "true")
    expect(page.locator(".cue--current")).to_have_text("Zum Schluss ein Ausblick.")
    expect(page.locator(".cue--current")).to_have_count(1)

    # Transcript time stamps seek too.
    page.locator(".transcript-time").first.click()
    wait_for_time(page, "t < 5")
    expect(page.locator(".cue--current")).to_have_text("Willkommen beim Podcast.")
    assert not audio.evaluate("a => a.paused"), "a time stamp starts playback"

    audio.evaluate("a => a.pause()")
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^de"))
    assert_accessible(page)
