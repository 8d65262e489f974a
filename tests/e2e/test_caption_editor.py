"""The caption editor in the admin, driven by the keyboard only, with axe."""

import re

import pytest
from django.core.files import File
from django.urls import reverse
from playwright.sync_api import expect

from media_pipeline.specs import PODCAST_AAC_SPEC
from media_pipeline.subtitles import load_text_track
from tests.cms.podcasts.conftest import publish_episode, show  # noqa: F401 - fixtures
from tests.e2e.test_media_admin import editor  # noqa: F401 - fixture
from tests.media_pipeline.conftest import generate
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


PLAYER = "document.querySelector('[data-caption-editor-player]')"
SEEKABLE = f"""async () => {{
    const player = {PLAYER};
    const blob = await (await fetch(player.src)).blob();
    const loaded = new Promise((done) => player.addEventListener("loadedmetadata", done));
    player.src = URL.createObjectURL(blob);
    await loaded;
}}"""


def test_an_editor_reviews_draft_captions_with_the_keyboard_only(
    page,
    editor,  # noqa: F811 - the fixture imported above
    publish_episode,  # noqa: F811 - the fixture imported above
    assert_accessible,
    tmp_path,
):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    episode = publish_episode(transcript="")
    make_speech_draft(episode.audio, DRAFT, TRANSCRIPT)
    sound = generate(tmp_path / "ton.m4a", "-f", "lavfi", "-i", "sine=duration=9", "-c:a", "aac")
    with sound.open("rb") as handle:  # the player's AAC rendition, as real sound
        episode.audio.renditions.get(spec=PODCAST_AAC_SPEC).file.save("ton.m4a", File(handle))
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
    # Django's live server serves media without "Accept-Ranges", so Chromium cannot seek in
    # it (the app's own media view and S3 can): the same bytes as a blob URL can.
    page.evaluate(SEEKABLE)

    tab_to(page, "#caption-shift-ms")  # all cues 100 ms earlier
    page.keyboard.press("Control+A")
    page.keyboard.type("-100")
    tab_to(page, "[data-caption-action=shift-all]")
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Alle Untertitel um -100 ms verschoben")
    tab_to(page, "#caption-find")  # the show's name, misheard
    page.keyboard.type("Mädels Tant")
    page.keyboard.press("Tab")
    page.keyboard.type("Mittelstand")
    tab_to(page, "[data-caption-action=replace]")
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Ersetzungen: 1.")
    expect(page.locator("#cue-1-unsure")).to_be_hidden()  # no unsure word left in it

    tab_to(page, "#cue-1-text")

    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator("#cue-2-text")).to_be_focused()
    expect(status).to_contain_text("Untertitel 2 von 3, 00:00:02.900 bis 00:00:04.900")
    page.wait_for_function(f"() => Math.abs({PLAYER}.currentTime - 2.9) < 0.01")
    page.keyboard.press("Alt+R")  # plays cue 2 and stops at its end
    page.wait_for_function(f"() => !{PLAYER}.paused")
    page.wait_for_function(f"() => {PLAYER}.paused && {PLAYER}.currentTime >= 4.8", timeout=8000)
    assert page.evaluate(f"{PLAYER}.currentTime") < 5.4
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
        "Willkommen beim Podcast Smarter Mittelstand.",
        "Heute geht es um Kundenservice",
        "im Handwerk. Das Zentrum hilft kleinen Betrieben.",
    ]
    assert (cues[0].start, cues[1].start, cues[2].end) == (0.4, 2.9, 7.9)
    assert cues[1].end == cues[2].start
    assert errors == []
