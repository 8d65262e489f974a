"""The subscribe box on the show page and on every episode page, and the show's cover art on
the episode cards and pages (issue 18)."""

import pytest
from lxml import html as lxml_html

from cms.podcasts.models import ShowSubscribeLink, SubscribePlatform

pytestmark = pytest.mark.django_db

FEED = "http://testserver/feeds/podcast/{pk}.xml"


def doc(response):
    assert response.status_code == 200
    return lxml_html.fromstring(response.content)


def test_show_page_offers_copy_app_link_and_qr_code_of_the_feed(client, show, publish_episode):
    publish_episode()
    box = doc(client.get(show.url)).xpath('//aside[@class="subscribe-box"]')[0]
    feed = box.xpath('.//input[@id="feed-url"]')[0]
    assert feed.get("value") == f"http://testserver{show.feed_path()}"
    assert feed.get("readonly") is not None
    # The copy button is progressive enhancement: hidden until the script finds a clipboard.
    button = box.xpath('.//button[@data-copy="feed-url"]')[0]
    assert button.get("hidden") is not None
    assert box.xpath('.//*[@role="status"]')
    app = box.xpath('.//a[contains(@class, "subscribe-button--app")]')[0]
    assert app.get("href") == f"podcast://testserver{show.feed_path()}"
    svg = box.xpath(".//svg")[0]
    assert svg.get("role") == "img"
    assert svg.xpath("./title")[0].text.endswith(feed.get("value"))
    assert "style" not in lxml_html.tostring(svg).decode()  # the CSP forbids inline styles
    # Nothing the editor did not set.
    assert not box.xpath('.//a[contains(@href, "apple.com") or contains(@href, "spotify")]')


def test_apple_and_spotify_buttons_appear_when_the_editor_set_their_urls(client, show):
    apple = "https://podcasts.apple.com/de/podcast/smarter-mittelstand/id123"
    spotify = "https://open.spotify.com/show/abc"
    ShowSubscribeLink.objects.create(page=show, platform=SubscribePlatform.APPLE, url=apple)
    ShowSubscribeLink.objects.create(page=show, platform=SubscribePlatform.SPOTIFY, url=spotify)
    ShowSubscribeLink.objects.create(
        page=show, platform=SubscribePlatform.ANTENNAPOD, url="https://antennapod.org/x"
    )
    box = doc(client.get(show.url)).xpath('//aside[@class="subscribe-box"]')[0]
    buttons = box.xpath('.//ul[@class="subscribe-buttons"]//a')
    assert [a.get("href") for a in buttons] == [apple, spotify]
    assert "Apple Podcasts" in buttons[0].text_content()
    assert "Spotify" in buttons[1].text_content()
    assert box.xpath('.//ul[@class="subscribe-links"]//a/@href') == ["https://antennapod.org/x"]


def test_every_episode_page_has_the_subscribe_box_and_a_share_link(client, show, publish_episode):
    episode = publish_episode()
    page = doc(client.get(episode.url))
    box = page.xpath('//aside[@class="subscribe-box"]')[0]
    assert box.xpath('.//input[@id="feed-url"]/@value') == [f"http://testserver{show.feed_path()}"]
    assert box.xpath(".//svg/title")
    assert show.title in box.xpath('.//h2[@id="subscribe-heading"]')[0].text_content()
    share = page.xpath('//input[@id="share-url"]')[0]
    assert share.get("value") == f"http://testserver{episode.url}"
    assert share.get("data-share-url") == share.get("value")


def test_cover_art_on_episode_cards_and_the_episode_page_with_srcset(
    client, show, publish_episode
):
    episode = publish_episode()
    for url, selector in ((show.url, "episode-card__cover"), (episode.url, "episode-cover")):
        images = doc(client.get(url)).xpath(f'//img[@class="{selector}"]')
        assert images, url
        image = images[0]
        # Beside the title, the cover repeats it: decorative.
        assert image.get("alt") == ""
        assert image.get("width") and image.get("height")
        assert len(image.get("srcset").split(",")) == 2
        if selector == "episode-card__cover":
            assert image.get("loading") == "lazy"


def test_a_show_without_cover_art_lists_its_episodes_without_images(client, show, publish_episode):
    publish_episode()
    type(show).objects.filter(pk=show.pk).update(artwork=None)  # e.g. the image was deleted
    assert not doc(client.get(show.url)).xpath('//li[contains(@class, "episode-card")]//img')
