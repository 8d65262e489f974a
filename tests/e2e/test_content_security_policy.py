"""The Content-Security-Policy is strict on the public site and still nothing on it breaks.

Chromium reports every blocked script, style, image, media file or frame on the console;
a page that needs something the policy forbids fails here.
"""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.test_explainer_video import real_video, video_page, wait_until_playing  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

VIOLATION = re.compile(r"Content Security Policy|Content-Security-Policy", re.IGNORECASE)


@pytest.fixture
def demo_content(transactional_db, live_server, settings):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    call_command("load_demo_content", admin_password="browser-test-pw", stdout=io.StringIO())


@pytest.fixture
def violations(page):
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(f"{page.url}: {message.text}") if VIOLATION.search(message.text) else None
        ),
    )
    page.on("pageerror", lambda error: found.append(f"{page.url}: {error}"))
    return found


def public_pages():
    from cms.core.models import HomePage
    from cms.digitalcheck.models import DigitalCheckPage
    from cms.learning.models import LearningUnitPage
    from cms.podcasts.models import PodcastEpisodePage
    from cms.videos.models import ExplainerVideoPage

    unit = LearningUnitPage.objects.live().filter(locale__language_code="de").first()
    return [
        HomePage.objects.get(locale__language_code="de").url,
        PodcastEpisodePage.objects.live().filter(locale__language_code="de").first().url,
        ExplainerVideoPage.objects.live().filter(locale__language_code="de").first().url,
        *(unit.step_url(step.id) for step in unit.step_list[:3]),
        DigitalCheckPage.objects.live().filter(locale__language_code="de").first().url,
    ]


def test_public_pages_work_under_the_policy(page, demo_content, violations):
    for url in public_pages():
        response = page.goto(url)
        assert response.status == 200, url
        assert "script-src" in response.headers["content-security-policy"]
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")

    assert violations == []


def test_a_real_video_plays_with_captions_and_keeps_its_shape(page, video_page, violations):  # noqa: F811
    page.goto(video_page.url)
    wait_until_playing(page)
    page.wait_for_function(
        "() => document.querySelector('video').textTracks[0].mode === 'showing'"
    )

    video = page.locator("[data-video-player] video")
    box = video.bounding_box()
    width, height = (int(video.get_attribute(name)) for name in ("width", "height"))
    # The box keeps the video's shape without any inline style.
    assert abs(box["width"] / box["height"] - width / height) < 0.02
    assert violations == []


def test_admin_page_editor_works_under_the_admin_policy(page, demo_content, violations):
    from cms.core.models import HomePage

    page.goto("/admin/login/")
    page.get_by_label(re.compile("Benutzername|Username")).fill("admin")
    page.get_by_label(re.compile("Passwort|Password")).fill("browser-test-pw")
    page.get_by_role("button", name=re.compile("Anmelden|Sign in")).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    home = HomePage.objects.get(locale__language_code="de")
    response = page.goto(f"/admin/pages/{home.pk}/edit/")
    assert "content-security-policy" in response.headers
    page.wait_for_load_state("networkidle")
    expect(page.locator("form#page-edit-form")).to_be_visible()

    assert violations == []
