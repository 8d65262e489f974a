"""The embeddable player and oEmbed, as partner sites (chambers, associations) use them."""

from urllib.parse import quote

import pytest
from lxml import html as lxml_html

pytestmark = pytest.mark.django_db


def test_embed_page_may_be_framed_by_any_site_and_sets_no_cookies(client, publish_video):
    page = publish_video()

    response = client.get(f"/embed/video/{page.pk}/")

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors *" in policy and "script-src 'self'" in policy
    assert "X-Frame-Options" not in response
    assert not response.cookies
    assert "Set-Cookie" not in str(response.serialize_headers())


def test_embed_page_sets_no_cookies_for_a_logged_in_editor_either(
    client, admin_user, publish_video
):
    page = publish_video()
    client.force_login(admin_user)

    response = client.get(f"/embed/video/{page.pk}/")

    assert not response.cookies


def test_embed_page_plays_with_german_captions_on(client, publish_video):
    page = publish_video(english=True)

    doc = lxml_html.fromstring(client.get(f"/embed/video/{page.pk}/").content.decode())

    assert doc.get("lang") == "de"
    (video,) = doc.xpath("//video")
    assert video.get("autoplay") is None
    assert doc.xpath("//video/source")[0].get("type") == "video/mp4"
    default = [t.get("srclang") for t in doc.xpath("//track") if t.get("default") is not None]
    assert default == ["de"]
    assert doc.xpath(f'//a[@href="http://testserver{page.url}"]')


def test_embed_of_an_unpublished_video_is_not_found(client, publish_video):
    page = publish_video()
    page.unpublish()

    assert client.get(f"/embed/video/{page.pk}/").status_code == 404


def oembed(client, url, **params):
    query = "&".join(f"{k}={v}" for k, v in {"url": quote(url, safe=""), **params}.items())
    return client.get(f"/oembed/?{query}")


def test_oembed_describes_the_video_with_an_iframe(client, publish_video):
    page = publish_video()

    response = oembed(client, f"http://testserver{page.url}", format="json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["version"] == "1.0"
    assert data["type"] == "video"
    assert data["title"] == "Was ist eine Cloud?"
    assert (data["width"], data["height"]) == (640, 360)
    iframe = lxml_html.fragment_fromstring(data["html"])
    assert iframe.tag == "iframe"
    assert iframe.get("src") == f"http://testserver/embed/video/{page.pk}/"
    assert iframe.get("title") == "Was ist eine Cloud?"
    assert (iframe.get("width"), iframe.get("height")) == ("640", "360")
    assert data["thumbnail_url"].endswith(".jpg")


def test_oembed_honours_maxwidth_and_maxheight(client, publish_video):
    page = publish_video()
    url = f"http://testserver{page.url}"

    assert (
        oembed(client, url, maxwidth=320).json()["width"] == 320
        and oembed(client, url, maxwidth=320).json()["height"] == 180
    )
    data = oembed(client, url, maxwidth=600, maxheight=90).json()
    assert (data["width"], data["height"]) == (160, 90)
    assert 'width="160" height="90"' in data["html"]


def test_oembed_answers_404_for_unknown_urls(client, publish_video):
    publish_video()

    assert oembed(client, "http://testserver/de/kurz-erklaert/gibt-es-nicht/").status_code == 404
    assert (
        oembed(client, "http://example.org/de/kurz-erklaert/was-ist-eine-cloud/").status_code
        == 404
    )
    assert oembed(client, "http://testserver/de/kurz-erklaert/").status_code == 404
    assert client.get("/oembed/").status_code == 404


def test_text_tracks_are_one_cached_copy_whatever_the_language(client, publish_video):
    page = publish_video(english=True)

    response = client.get(
        f"/videos/{page.pk}/tracks/captions-en.vtt",
        HTTP_ACCEPT_LANGUAGE="de",
        HTTP_ACCEPT_ENCODING="gzip",
    )

    assert response.status_code == 200
    vary = {value.strip().lower() for value in response["Vary"].split(",")}
    assert "accept-encoding" in vary
    assert "accept-language" not in vary
    assert not response.has_header("Content-Language")


def test_oembed_answers_501_for_xml(client, publish_video):
    page = publish_video()

    assert oembed(client, f"http://testserver{page.url}", format="xml").status_code == 501


def test_oembed_refuses_a_nonsense_size_with_400(client, publish_video):
    page = publish_video()

    assert oembed(client, f"http://testserver{page.url}", maxwidth="abc").status_code == 400
    assert oembed(client, f"http://testserver{page.url}", maxwidth="-5").status_code == 400


def test_text_tracks_are_served_as_webvtt_to_any_origin(client, publish_video):
    page = publish_video(english=True)

    response = client.get(f"/videos/{page.pk}/tracks/captions-en.vtt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert b"".join(response).startswith(b"WEBVTT")
    again = client.get(
        f"/videos/{page.pk}/tracks/captions-en.vtt", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304
    assert client.get(f"/videos/{page.pk}/tracks/captions-fr.vtt").status_code == 404
    assert client.get(f"/videos/{page.pk}/tracks/chapters-de.vtt").status_code == 404
    page.unpublish()
    assert client.get(f"/videos/{page.pk}/tracks/captions-en.vtt").status_code == 404
