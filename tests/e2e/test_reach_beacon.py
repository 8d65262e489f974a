"""Video plays are counted from the real player in Chromium: on the video page, and inside an
embed on another site, which is named by its host; no cookie is set."""

import time
from urllib.parse import urlsplit

import pytest

from cms.reach import counting
from cms.reach.aggregate import fold
from cms.reach.models import DailyFigure, PlayEvent
from tests.e2e.test_explainer_video import (  # noqa: F401 - fixtures
    partner_site,
    real_video,
    video_page,
    wait_until_playing,
)

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for_plays(count: int, **filters) -> None:
    """The beacon leaves asynchronously; the live server buffers it in this process."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        counting.flush()
        if PlayEvent.objects.filter(**filters).count() >= count:
            return
        time.sleep(0.1)
    raise AssertionError(f"no play reported: {list(PlayEvent.objects.values())}")


@pytest.fixture(autouse=True)
def _own_salts(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    counting.discard_buffer()
    yield
    counting.discard_buffer()


CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture
def visitor(browser, live_server):
    """A visitor's Chromium: headless Chromium calls itself HeadlessChrome, which the OPAWG
    lists rightly treat as a bot (its plays are not counted)."""
    context = browser.new_context(base_url=live_server.url, locale="de-DE", user_agent=CHROME)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_plays_on_the_page_and_in_an_embed_are_counted(
    visitor,
    live_server,
    video_page,  # noqa: F811 - the imported fixture
    partner_site,  # noqa: F811 - the imported fixture
):
    page = visitor
    page.goto(video_page.url)
    wait_until_playing(page)
    page.wait_for_function("() => document.querySelector('video').currentTime > 1.6")
    wait_for_plays(1, milestone=0, embed_domain="")
    wait_for_plays(1, milestone=25)

    page.goto(partner_site)
    page.frame_locator("iframe").locator("video").wait_for()
    embedded = next(f for f in page.frames if "/embed/video/" in f.url)
    wait_until_playing(embedded)
    partner_host = urlsplit(partner_site).hostname
    assert partner_host != urlsplit(live_server.url).hostname
    wait_for_plays(1, milestone=0, embed_domain=partner_host)

    fold()
    plays = DailyFigure.objects.filter(subject=f"video:{video_page.pk}", metric="video_play")
    # One visitor (same address and browser) is one play per video and day, wherever it ran.
    assert sum(plays.filter(dimension="").values_list("count", flat=True)) == 1
    assert plays.get(dimension="embed").value == partner_host
    assert page.context.cookies(live_server.url) == []
