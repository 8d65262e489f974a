"""A video made by the real pipeline (ffmpeg, the video profile) on a real video page."""

import pytest
from django.core.files import File
from lxml import html as lxml_html

from cms.videos.models import ExplainerVideoPage, VideoTextTrack
from media_pipeline.models import RenditionStatus
from media_pipeline.services import transcode_rendition
from media_pipeline.specs import (
    VIDEO_HLS_SPEC,
    VIDEO_LADDER_SPECS,
    VIDEO_POSTER_SPEC,
    VIDEO_SPRITE_SPEC,
)
from media_pipeline.uploads import create_media_file
from tests.conftest import fetch_media
from tests.media_pipeline.conftest import generate

from .conftest import GERMAN_CAPTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def processed_video(tmp_path):
    """A 3 s 320×180 upload, every rendition of its profile rendered in this process."""
    source = generate(
        tmp_path / "upload.mp4",
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=3",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=3",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-shortest",
    )  # fmt: skip
    with source.open("rb") as handle:
        media = create_media_file(File(handle, name="upload.mp4"), title="Cloud")
    for rendition in media.renditions.all():
        rendition.refresh_from_db()
        if rendition.status == RenditionStatus.PENDING:
            transcode_rendition(rendition.pk)
    assert set(media.renditions.values_list("status", flat=True)) == {RenditionStatus.READY}
    return media


@pytest.fixture
def page(video_index, processed_video):
    page = video_index.add_child(
        instance=ExplainerVideoPage(
            title="Was ist eine Cloud?",
            slug="cloud",
            summary="Kurz erklärt.",
            video=processed_video,
            locale=video_index.locale,
            text_tracks=[VideoTextTrack(language="de", webvtt=GERMAN_CAPTIONS)],
            live=False,
        )
    )
    page.save_revision().publish()
    return ExplainerVideoPage.objects.get(pk=page.pk)


def test_page_offers_native_hls_first_then_the_mp4_and_the_thumbnails(client, page):
    doc = lxml_html.fromstring(client.get(page.url).content.decode())

    # libxml2 does not know <source> either: look for them anywhere.
    sources = [(s.get("type"), s.get("src")) for s in doc.xpath("//source")]
    hls = page.video.renditions.get(spec=VIDEO_HLS_SPEC)
    mp4 = page.video.renditions.get(spec=VIDEO_LADDER_SPECS[360])  # never upscaled
    assert sources == [
        ("application/vnd.apple.mpegurl", hls.url),
        ("video/mp4", mp4.url),
    ]
    assert b"#EXT-X-STREAM-INF" in fetch_media(client, hls.url)[1]
    assert doc.xpath("//video")[0].get("poster").endswith(".jpg")


def test_thumbnails_track_is_served_by_the_site_and_points_at_the_stored_sprite(client, page):
    doc = lxml_html.fromstring(client.get(page.url).content.decode())
    thumbnails = doc.xpath("//video")[0].get("data-thumbnails")
    # Same origin as the page, so the player's script needs no CORS on the media bucket.
    assert thumbnails.startswith("/")
    response = client.get(thumbnails)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vtt")
    vtt = response.content.decode()
    assert vtt.startswith("WEBVTT")
    targets = {line.split("#xywh=")[0] for line in vtt.splitlines() if "#xywh=" in line}
    sprite = page.video.renditions.get(spec=VIDEO_SPRITE_SPEC)
    assert targets == {sprite.url}
    status, image = fetch_media(client, sprite.url)
    assert status == 200 and image[:3] == b"\xff\xd8\xff"  # the JPEG itself

    poster = page.video.renditions.get(spec=VIDEO_POSTER_SPEC)
    assert client.get(f"/videos/thumbnails/{poster.pk}.vtt").status_code == 404
    assert client.get(thumbnails, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_feed_encloses_the_largest_rung_up_to_720p(client, page, video_index):
    from lxml import etree

    root = etree.fromstring(b"".join(client.get(video_index.feed_path())))

    (enclosure,) = root.findall("./channel/item/enclosure")
    mp4 = page.video.renditions.get(spec=VIDEO_LADDER_SPECS[360])
    assert int(enclosure.get("length")) == mp4.file_size
    assert enclosure.get("type") == "video/mp4"
