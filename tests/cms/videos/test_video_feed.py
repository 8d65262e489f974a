"""The video podcast feed of “Kurz erklärt”, read by real feed parsers."""

import io

import feedparser
import podcastparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from feeds.podcastindex import LEGACY_PODCAST_NS, PODCAST_NS
from tests.conftest import fetch_media

pytestmark = pytest.mark.django_db

NS = {"podcast": PODCAST_NS, "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}


def get_feed(client, index):
    response = client.get(index.feed_path())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    return b"".join(response)


def test_feed_lists_published_videos_with_an_exact_mp4_enclosure(
    client, video_index, publish_video, video_files
):
    page = publish_video(english=True)

    xml = get_feed(client, video_index)

    parsed = feedparser.parse(xml)
    assert not parsed.bozo
    assert parsed.feed.title == "Kurz erklärt"
    (entry,) = parsed.entries
    assert entry.title == "Was ist eine Cloud?"
    assert entry.id == str(page.guid)
    (enclosure,) = entry.enclosures
    assert enclosure.type == "video/mp4"
    assert int(enclosure.length) == video_files["mp4"].stat().st_size
    assert enclosure.href == f"http://testserver/video-podcast/{page.guid}.mp4"
    download = client.get(f"/video-podcast/{page.guid}.mp4")
    if download.status_code == 302:  # media on S3: the redirect keeps the extension
        assert download["Location"].split("?")[0].endswith(".mp4")
        status, body = fetch_media(client, download["Location"])
        assert status == 200 and len(body) == int(enclosure.length)
    else:
        assert download.status_code == 200
        assert download["Content-Type"] == "video/mp4"
        assert len(b"".join(download.streaming_content)) == int(enclosure.length)
    assert entry.itunes_duration == "2"


def test_feed_says_it_is_video_and_lists_captions_per_language(client, video_index, publish_video):
    page = publish_video(english=True)

    root = etree.fromstring(get_feed(client, video_index))

    assert root.findtext("./channel/podcast:medium", namespaces=NS) == "video"
    transcripts = root.findall("./channel/item/podcast:transcript", namespaces=NS)
    assert [(t.get("language"), t.get("type"), t.get("rel")) for t in transcripts] == [
        ("de", "text/vtt", "captions"),
        ("en", "text/vtt", "captions"),
    ]
    for transcript in transcripts:
        url = transcript.get("url")
        assert url.startswith(f"http://testserver/videos/{page.pk}/tracks/")
        assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_podcastparser_reads_the_video_feed(client, video_index, publish_video):
    page = publish_video()
    xml = get_feed(client, video_index)
    legacy = xml.replace(
        f'xmlns:podcast="{PODCAST_NS}"'.encode(), f'xmlns:podcast="{LEGACY_PODCAST_NS}"'.encode()
    )

    parsed = podcastparser.parse("http://testserver/feeds/video.xml", io.BytesIO(legacy))

    assert parsed["title"] == "Kurz erklärt"
    (episode,) = parsed["episodes"]
    assert episode["guid"] == str(page.guid)
    assert episode["total_time"] == 2
    assert episode["enclosures"][0]["mime_type"] == "video/mp4"
    assert episode["transcript_url"].endswith("/tracks/captions-de.vtt")


def test_videos_still_processing_and_drafts_are_not_in_the_feed(
    client, video_index, publish_video
):
    from media_pipeline.models import MediaKind
    from tests.media_pipeline.factories import MediaFileFactory

    publish_video(media=MediaFileFactory(kind=MediaKind.VIDEO), slug="in-arbeit")

    root = etree.fromstring(get_feed(client, video_index))

    assert root.findall("./channel/item") == []


def test_a_newly_published_video_appears_in_the_cached_feed(
    client, video_index, publish_video, django_capture_on_commit_callbacks
):
    assert etree.fromstring(get_feed(client, video_index)).findall("./channel/item") == []

    with django_capture_on_commit_callbacks(execute=True):
        publish_video()

    assert len(etree.fromstring(get_feed(client, video_index)).findall("./channel/item")) == 1


def test_conditional_get_answers_304(client, video_index, publish_video):
    publish_video()
    first = client.get(video_index.feed_path())

    again = client.get(video_index.feed_path(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_query_count_does_not_grow_with_the_number_of_videos(client, video_index, publish_video):
    from django.conf import settings
    from django.core.cache import caches

    def count():
        caches[settings.FEED_CACHE_ALIAS].clear()
        with CaptureQueriesContext(connection) as queries:
            get_feed(client, video_index)
        return len(queries)

    publish_video(slug="eins")
    count()  # the first build also renders the cover art
    one = count()
    publish_video(slug="zwei", title="Zwei")
    publish_video(slug="drei", title="Drei")

    assert count() == one


def test_unknown_index_is_not_found(client, db):
    assert client.get("/feeds/video/999.xml").status_code == 404


def test_feed_without_cover_art_says_try_later_instead_of_failing(
    client, video_index, publish_video
):
    publish_video()
    video_index.artwork = None
    video_index.save_revision().publish()

    response = client.get(video_index.feed_path())

    assert response.status_code == 503
    assert response["Retry-After"] == "300"


def test_video_podcast_guid_is_fixed_at_first_publication(client, video_index, publish_video):
    from wagtail.models import Site

    from cms.podcasts.models import podcast_guid_for

    publish_video()
    first_url = video_index.feed_url()
    assert video_index.podcast_guid == podcast_guid_for(first_url)

    # The centre moves to a new host name: the feed URL changes, its podcast:guid does not.
    Site.objects.filter(is_default_site=True).update(hostname="neu.example.org")
    video_index.save_revision().publish()
    video_index.refresh_from_db()
    assert video_index.feed_url() != first_url
    root = etree.fromstring(get_feed(client, video_index))
    assert root.findtext("./channel/podcast:guid", namespaces=NS) == str(
        podcast_guid_for(first_url)
    )


def test_video_feed_names_the_configured_websub_hubs(client, video_index, settings):
    settings.WEBSUB_HUBS = ["https://hub.example.org/"]

    root = etree.fromstring(get_feed(client, video_index))

    hubs = root.xpath("/rss/channel/*[local-name()='link'][@rel='hub']/@href")
    assert hubs == ["https://hub.example.org/"]
    assert not feedparser.parse(etree.tostring(root)).bozo


def test_video_index_and_video_ping_the_video_feed(video_index, publish_video):
    from django.urls import reverse

    from feeds import websub

    video = publish_video()

    feed_url = f"http://testserver{reverse('video_feed', args=[video_index.pk])}"
    assert websub.find_feed_url(video_index) == feed_url
    assert websub.find_feed_url(video) == feed_url
