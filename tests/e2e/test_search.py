"""Site search in a real browser: type in the header box, pick a suggestion with the keyboard,
land on the minute of the episode; the results pages pass axe in both languages."""

import re

import pytest
from django.core.files import File
from playwright.sync_api import expect

from media_pipeline.models import RenditionStatus
from media_pipeline.specs import PODCAST_MP3_SPEC
from tests.cms.factories import PodcastEpisodePageFactory, PodcastShowPageFactory
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
<v Anna Schmidt>Seitdem beantworten wir Anfragen im Messenger-Chat.
"""


@pytest.fixture
def episode(home_pages, tmp_path):
    """A published episode with a real 20 s MP3; publishing indexes it (signals, on commit)."""
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
    home, _english = home_pages
    show = PodcastShowPageFactory(parent=home, slug="podcast")
    show.save_revision().publish()
    episode = PodcastEpisodePageFactory(
        parent=show,
        title="Kundenservice im Handwerk",
        slug="kundenservice",
        audio=media,
        transcript=TRANSCRIPT,
    )
    episode.save_revision().publish()
    episode.refresh_from_db()
    return episode


def test_a_suggestion_picked_with_the_keyboard_starts_the_episode_at_its_minute(page, episode):
    page.goto("/de/")
    box = page.get_by_role(
        "combobox", name="Folgen, Videos, Lerneinheiten und Begriffe durchsuchen"
    )
    box.focus()
    page.keyboard.type("Messeng", delay=30)

    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator("[data-suggest-status]")).to_have_text(re.compile(r"1 Vorschläge"))
    option = page.get_by_role("option").first
    expect(option).to_contain_text("Kundenservice im Handwerk")
    expect(option).to_contain_text("Folge · 0:14")

    page.keyboard.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    expect(box).to_be_focused()
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/de/podcast/kundenservice/\?t=14$"))
    page.wait_for_function(
        "() => Math.abs(document.querySelector('[data-player-audio]').currentTime - 14) < 0.5"
    )
    expect(page.locator(".cue--current")).to_have_text(
        "Seitdem beantworten wir Anfragen im Messenger-Chat."
    )


def test_escape_closes_the_suggestions_and_enter_opens_the_results(page, episode):
    page.goto("/de/")
    box = page.get_by_role("combobox")
    box.focus()
    page.keyboard.type("Einladung", delay=30)
    expect(page.get_by_role("listbox")).to_be_visible()

    page.keyboard.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/de/suche/\?q=Einladung$"))
    result = page.locator(".search-hit__cue a")
    expect(result).to_have_attribute("href", "/de/podcast/kundenservice/?t=7")


@pytest.mark.parametrize(
    ("url", "lang"), [("/de/suche/?q=Messenger", "de"), ("/en/search/?q=nothing", "en")]
)
def test_results_pages_are_accessible_in_both_languages(
    page, episode, assert_accessible, url, lang
):
    page.goto(url)

    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
