"""The subscribe box, the copy buttons and the share link in Chromium; pictures on the card
pages; the favicon (issue 18)."""

import pytest
from factory.django import ImageField
from playwright.sync_api import expect

from cms.learning.models import PathUnit
from cms.podcasts.models import ShowSubscribeLink, SubscribePlatform
from cms.videos.models import ExplainerVideoPage, VideoTextTrack
from tests.cms.factories import (
    ImageFactory,
    MaturityLevelFactory,
    PodcastEpisodePageFactory,
    PodcastShowPageFactory,
)
from tests.cms.learning.factories import make_catalogue, make_path, make_unit, step, text
from tests.e2e.test_explainer_video import CAPTIONS, real_video, video_page  # noqa: F401
from tests.e2e.test_podcast_episode import DURATION, real_audio  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

APPLE = "https://podcasts.apple.com/de/podcast/smarter-mittelstand/id123"
SPOTIFY = "https://open.spotify.com/show/abc"


@pytest.fixture
def show(home_pages, live_server, settings):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    home, english_home = home_pages
    show = PodcastShowPageFactory(parent=home, slug="podcast", title="Smarter Mittelstand")
    ShowSubscribeLink.objects.create(page=show, platform=SubscribePlatform.APPLE, url=APPLE)
    ShowSubscribeLink.objects.create(page=show, platform=SubscribePlatform.SPOTIFY, url=SPOTIFY)
    show.save_revision().publish()
    return show


@pytest.fixture
def episode(show, real_audio):  # noqa: F811
    episode = PodcastEpisodePageFactory(
        parent=show, live=False, title="Folge 1: Auftragsplanung", slug="folge-1", audio=real_audio
    )
    episode.save_revision().publish()
    episode.refresh_from_db()
    return episode


@pytest.fixture
def clipboard_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_show_page_subscribe_box_copies_the_feed_address(
    clipboard_page, live_server, show, episode, assert_accessible
):
    page = clipboard_page
    page.goto(show.url)
    box = page.locator("aside.subscribe-box")
    feed_url = f"{live_server.url}{show.feed_path()}"
    expect(box.locator("#feed-url")).to_have_value(feed_url)
    expect(box.get_by_role("link", name="Auf Apple Podcasts hören")).to_have_attribute(
        "href", APPLE
    )
    expect(box.get_by_role("link", name="Auf Spotify hören")).to_have_attribute("href", SPOTIFY)
    app_link = box.get_by_role("link", name="In Podcast-App öffnen")
    expect(app_link).to_have_attribute("href", "podcast://" + feed_url.split("://", 1)[1])
    expect(box.get_by_role("img", name=f"QR-Code der Feed-Adresse {feed_url}")).to_be_visible()

    button = box.get_by_role("button", name="Adresse kopieren")
    expect(button).to_be_visible()  # the script found a clipboard and showed the button
    button.focus()
    page.keyboard.press("Enter")
    expect(box.get_by_role("status")).to_have_text("In die Zwischenablage kopiert.")
    assert page.evaluate("navigator.clipboard.readText()") == feed_url

    cover = page.locator("li.episode-card img")
    expect(cover).to_have_attribute("alt", "")
    expect(cover).to_have_attribute("loading", "lazy")
    assert "192w" in cover.get_attribute("srcset")
    page.screenshot(path="/tmp/i18-pictures-shots/e2e-show.png", full_page=True)
    assert_accessible(page)


def test_episode_page_share_link_follows_the_player_and_opens_there(
    clipboard_page, live_server, show, episode, assert_accessible
):
    page = clipboard_page
    page.goto(episode.url)
    episode_url = f"{live_server.url}{episode.url}"
    share = page.locator("#share-url")
    expect(share).to_have_value(episode_url)
    expect(page.locator("aside.subscribe-box #feed-url")).to_have_value(
        f"{live_server.url}{show.feed_path()}"
    )
    expect(page.get_by_role("heading", name="Smarter Mittelstand abonnieren")).to_be_visible()

    page.wait_for_function("() => document.querySelector('[data-player-audio]').readyState >= 1")
    page.evaluate("document.querySelector('[data-player-audio]').currentTime = 12")
    expect(share).to_have_value(f"{episode_url}?t=12")
    expect(page.locator("#share-hint")).to_have_text("Der Link startet die Folge bei 0:12.")
    page.get_by_role("button", name="Link kopieren").click()
    expect(page.locator("section.share").get_by_role("status")).to_have_text(
        "In die Zwischenablage kopiert."
    )
    assert page.evaluate("navigator.clipboard.readText()") == f"{episode_url}?t=12"
    page.screenshot(path="/tmp/i18-pictures-shots/e2e-episode.png", full_page=True)
    assert_accessible(page)

    # Whoever opens the shared link starts at 0:12.
    page.goto(f"{episode.url}?t=12")
    page.wait_for_function(
        "() => Math.abs(document.querySelector('[data-player-audio]').currentTime - 12) < 0.5"
    )


def test_without_javascript_the_addresses_are_still_there_to_copy(browser, live_server, episode):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(episode.url)
    expect(page.locator("#feed-url")).to_be_visible()
    expect(page.locator("#share-url")).to_be_visible()
    expect(page.locator("button[data-copy]")).to_have_count(2)
    for button in page.locator("button[data-copy]").all():
        expect(button).to_be_hidden()  # a button that cannot work is not offered
    context.close()


@pytest.fixture
def catalogue(home_pages, live_server, settings):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    home, english_home = home_pages
    level = MaturityLevelFactory(name="Einstieg", slug="einstieg")
    catalogue = make_catalogue(home, show_in_menus=True)
    unit = make_unit(
        catalogue,
        [step("Worum es geht", [text("<p>Social Media im Betrieb.</p>")])],
        level_min=level,
        slug="social-media",
        teaser_image=ImageFactory(
            file=ImageField(width=1200, height=800, color="#0b5394"), description="Sprechblasen"
        ),
    )
    path = make_path(
        catalogue,
        [unit],
        slug="digital-starten",
        teaser_image=ImageFactory(file=ImageField(width=1200, height=800, color="#5a3c8c")),
    )
    from wagtail.models import Locale

    english = Locale.objects.get(language_code="en")
    en_catalogue = catalogue.copy_for_translation(english)
    en_catalogue.title = "Learning offers"
    en_catalogue.save_revision().publish()
    en_unit = unit.copy_for_translation(english)
    en_unit.title = "Social media for your business"
    en_unit.save_revision().publish()
    en_path = path.copy_for_translation(english)
    en_path.title = "Getting started"
    en_path.path_units = [PathUnit(unit=en_unit)]
    en_path.save_revision().publish()
    return {"de": (catalogue, unit), "en": (en_catalogue, en_unit)}


def loaded_images(page, selector):
    images = page.locator(selector)
    assert images.count()
    for image in images.all():
        image.scroll_into_view_if_needed()
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") > 0
    return images.all()


@pytest.mark.parametrize("language", ["de", "en"])
def test_catalogue_cards_and_unit_page_show_teaser_images(
    page, catalogue, assert_accessible, language
):
    catalogue_page, unit = catalogue[language]
    page.goto(catalogue_page.url)
    cards = loaded_images(page, "li.learning-card > img")
    assert len(cards) == 2  # the unit and the path
    for image in cards:
        assert image.get_attribute("alt") == ""
        assert image.get_attribute("loading") == "lazy"
        assert image.get_attribute("srcset").count("w,") == 1
    page.screenshot(path=f"/tmp/i18-pictures-shots/e2e-catalogue-{language}.png", full_page=True)
    assert_accessible(page)

    page.goto(unit.url)
    [picture] = loaded_images(page, "img.page-image")
    assert picture.get_attribute("alt") == "Sprechblasen"  # the image's own alt text


def test_video_index_shows_posters_without_list_bullets(page, video_page, assert_accessible):  # noqa: F811
    index = video_page.get_parent().specific
    second = index.add_child(
        instance=ExplainerVideoPage(
            title="Zwei-Faktor-Authentisierung",
            slug="zwei-faktor",
            summary="Ein Passwort allein reicht nicht.",
            poster_image=ImageFactory(file=ImageField(width=1280, height=720, color="#073763")),
            locale=index.locale,
            text_tracks=[VideoTextTrack(language="de", webvtt=CAPTIONS)],
            live=False,
        )
    )
    second.save_revision().publish()
    page.goto(index.url)
    posters = loaded_images(page, "ul.video-list img.video-card__poster")
    assert len(posters) == 2
    assert [p.get_attribute("alt") for p in posters] == ["", ""]
    assert posters[0].get_attribute("srcset")  # the editor's poster image: renditions
    assert "/media/renditions/" in posters[1].get_attribute("src")  # the pipeline's frame
    bullets = page.locator("ul.video-list > li").first.evaluate(
        "li => getComputedStyle(li).listStyleType"
    )
    assert bullets == "none"
    page.screenshot(path="/tmp/i18-pictures-shots/e2e-videos.png", full_page=True)
    assert_accessible(page)


def test_favicon_and_manifest_are_served(page, home_pages):
    home, _english = home_pages
    page.goto(home.url)
    icon = page.locator('link[rel="icon"]').first.get_attribute("href")
    assert page.request.get(icon).status == 200
    assert page.request.get("/favicon.ico").status == 200
    manifest = page.locator('link[rel="manifest"]').get_attribute("href")
    assert page.request.get(manifest).json()["start_url"] == home.url
