import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_content(transactional_db, live_server, settings):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    call_command("load_demo_content", admin_password="browser-test-pw", stdout=io.StringIO())


# The demo content takes seconds to load, so each test walks through several pages.


def public_pages():
    """One German page of each kind a visitor meets, for the policy walk."""
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


@pytest.mark.embedded_only  # axe on rendered pages
def test_home_standard_pages_and_every_english_page_type_are_accessible(
    page, demo_content, assert_accessible, violations
):
    # The public pages work under the strict Content-Security-Policy: nothing blocked.
    for url in public_pages():
        response = page.goto(url)
        assert response.status == 200, url
        assert "script-src" in response.headers["content-security-policy"]
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    assert violations == []

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/de/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Digitalisierung")
    expect(page.get_by_role("contentinfo")).to_contain_text("Gefördert durch")
    assert_accessible(page)

    page.goto("/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Skip to content")).to_be_attached()
    expect(page.get_by_role("contentinfo")).to_contain_text("Funded by")
    assert_accessible(page)

    for path in ("/de/barrierefreiheit/", "/en/privacy/", "/de/impressum/"):
        page.goto(path)
        expect(page.get_by_role("main")).to_be_visible()
        assert_accessible(page)

    # The English site is complete: one page of every public type, as a visitor reaches it
    # from the English home page, passes axe; German recordings say they are German.
    from cms.learning.models import LearningUnitPage

    unit = LearningUnitPage.objects.filter(locale__language_code="en").first()
    step = f"{unit.url}step/{unit.steps[1].id}/"
    page.goto("/en/")
    for name in ("Smarter Mittelstand", "Explained in brief", "Learning offers", "Digital-Check"):
        expect(
            page.get_by_role("navigation", name="Main navigation").get_by_role("link", name=name)
        ).to_be_visible()
    for path in (
        "/en/podcast/",
        "/en/podcast/joinery-without-paper-chaos/",
        "/en/explained/",
        "/en/explained/what-is-a-cloud/",
        "/en/explained/key-terms/",
        "/en/learning/",
        unit.url,
        step,
        "/en/learning/visible-online-quick-to-answer/",
        "/en/digital-check/",
    ):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    page.goto("/en/podcast/joinery-without-paper-chaos/")
    expect(page.locator("[data-transcript]")).to_have_attribute("lang", "de")


def test_skip_link_and_language_switch_work_from_the_keyboard_and_an_editor_logs_in(
    page, demo_content, violations
):
    page.goto("/de/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    page.goto("/de/ueber-uns/")
    page.get_by_role("navigation", name="Sprache").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/about/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("About the centre")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Deutsch").click()
    expect(page).to_have_url(re.compile(r"/de/ueber-uns/$"))

    # The editor's side of the same site: the admin login.
    page.goto("/admin/login/")
    page.get_by_label(re.compile("Benutzername|Username")).fill("admin")
    page.get_by_label(re.compile("Passwort|Password")).fill("browser-test-pw")
    page.get_by_role("button", name=re.compile("Anmelden|Sign in")).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")

    # The page editor works under the admin's policy.
    from cms.core.models import HomePage

    home = HomePage.objects.get(locale__language_code="de")
    response = page.goto(f"/admin/pages/{home.pk}/edit/")
    assert "content-security-policy" in response.headers
    page.wait_for_load_state("networkidle")
    expect(page.locator("form#page-edit-form")).to_be_visible()
    assert violations == []
