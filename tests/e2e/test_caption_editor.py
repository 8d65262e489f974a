"""The caption editor in the admin, driven by the keyboard only, with axe."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from media_pipeline.subtitles import load_text_track
from tests.cms.podcasts.conftest import publish_episode, show  # noqa: F401 - fixtures
from tests.e2e.test_media_admin import editor  # noqa: F401 - fixture
from tests.media_pipeline.factories import make_speech_draft
from tests.media_pipeline.test_caption_editor import DRAFT, TRANSCRIPT

pytestmark = pytest.mark.django_db(transaction=True)


def tab_to(page, selector: str, limit: int = 120):
    """Press Tab until the element matching ``selector`` has the focus."""
    for _press in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never had the focus")


def test_an_editor_reviews_draft_captions_with_the_keyboard_only(
    page,
    editor,  # noqa: F811 - the fixture imported above
    publish_episode,  # noqa: F811 - the fixture imported above
    assert_accessible,
):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    episode = publish_episode(transcript="")
    make_speech_draft(episode.audio, DRAFT, TRANSCRIPT)
    revisions = episode.revisions.count()

    page.goto("/admin/login/")
    page.get_by_label(re.compile("Benutzername|Username")).fill("medien-admin")
    page.get_by_label(re.compile("Passwort|Password")).fill("browser-test-pw")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(reverse("media:caption_editor", args=(episode.audio.pk,)))
    status = page.locator("[data-caption-status]")
    expect(page.locator("#cue-1-unsure mark").first).to_have_text("Mädels")
    expect(page.locator("#id_webvtt")).to_be_hidden()  # the cues replace it
    tab_to(page, "#cue-1-text")

    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator("#cue-2-text")).to_be_focused()
    expect(status).to_contain_text("Untertitel 2 von 3, 00:00:03.000 bis 00:00:05.000")
    page.keyboard.press("Control+A")
    page.keyboard.type("Heute geht es um Kundenservice im Handwerk.")
    for _press in range(len("im Handwerk.")):
        page.keyboard.press("ArrowLeft")
    page.keyboard.press("Alt+S")  # split at the cursor: the second half is the new cue 3
    expect(page.locator("#cue-3-text")).to_be_focused()
    expect(page.locator("#cue-3-text")).to_have_value("im Handwerk.")
    expect(page.locator("#cue-2-text")).to_have_value("Heute geht es um Kundenservice")
    page.keyboard.press("Alt+M")  # merge it with the cue after it
    expect(page.locator("#cue-3-text")).to_have_value(
        "im Handwerk. Das Zentrum hilft kleinen Betrieben."
    )
    expect(page.locator("#cue-4-text")).to_have_count(0)
    expect(status).to_contain_text("Untertitel 3 mit dem Untertitel danach zusammengefügt")
    assert_accessible(page)

    tab_to(page, "button[value=review]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/admin/pages/{episode.pk}/edit/"))

    episode.refresh_from_db()
    assert episode.revisions.count() == revisions + 1
    cues = load_text_track(episode.transcript.encode()).cues
    assert [cue.text for cue in cues] == [
        "Willkommen beim Podcast Smarter Mädels Tant.",
        "Heute geht es um Kundenservice",
        "im Handwerk. Das Zentrum hilft kleinen Betrieben.",
    ]
    assert cues[1].start == 3.0 and cues[1].end == cues[2].start and cues[2].end == 8.0
    assert errors == []
