"""The video index of a large centre: paginated cards without list bullets, and the same
number of queries for 3 or 25 videos (issue 15)."""

from urllib.parse import urlsplit

import pytest
from lxml import html as lxml_html

from cms.videos.models import ExplainerVideoIndexPage

pytestmark = pytest.mark.django_db
PER_PAGE = ExplainerVideoIndexPage.VIDEOS_PER_PAGE


def add_videos(publish_video, start, count):
    for number in range(start, start + count):
        publish_video(media=None, title=f"Video {number}", slug=f"video-{number}")


def titles(response):
    doc = lxml_html.fromstring(response.content)
    return [a.text_content() for a in doc.xpath('//ul[@class="video-list"]//h3/a')]


def test_video_index_is_paginated_in_constant_queries(publish_video, video_index, queries_of):
    add_videos(publish_video, 1, 3)
    _, small = queries_of(video_index.url)
    add_videos(publish_video, 4, PER_PAGE * 2 - 2)  # 25 in all

    response, large = queries_of(video_index.url)

    assert large == small
    assert titles(response) == [f"Video {n}" for n in range(25, 25 - PER_PAGE, -1)]
    assert 'href="?page=2" rel="next"' in response.content.decode()
    last = queries_of(video_index.url + "?page=3")[0]
    assert titles(last) == ["Video 1"]
    assert titles(queries_of(video_index.url + "?page=x")[0]) == titles(response)


def test_video_cards_are_listed_without_bullets():
    from django.contrib.staticfiles import finders

    css = open(finders.find("podcasts/podcasts.css")).read()  # noqa: PTH123, SIM115
    assert ".video-list { list-style: none;" in css or ".video-list { list-style: none" in css


def test_video_cards_show_posters_in_constant_queries(
    publish_video, video_index, queries_of, ready_video
):
    """The editor's poster image (responsive renditions) or else the pipeline's poster frame,
    lazy and decorative beside the title link (issue 18)."""
    from factory.django import ImageField

    from tests.cms.factories import ImageFactory

    def add(number):
        poster = ImageFactory(file=ImageField(width=1280, height=720)) if number % 2 else None
        publish_video(title=f"Video {number}", slug=f"video-{number}", poster_image=poster)

    for number in (1, 2):
        add(number)
    _, small = queries_of(video_index.url)
    for number in range(3, 7):
        add(number)

    response, large = queries_of(video_index.url)

    assert large == small
    posters = lxml_html.fromstring(response.content).xpath(
        '//ul[@class="video-list"]/li/img[@class="video-card__poster"]'
    )
    assert len(posters) == 6
    for poster in posters:
        assert poster.get("alt") == ""
        assert poster.get("loading") == "lazy"
        assert poster.get("width") and poster.get("height")
    editor_posters = [p for p in posters if p.get("srcset")]
    assert len(editor_posters) == 3
    # Wagtail image renditions: served from MEDIA_URL locally, from the bucket on S3.
    assert all("/images/" in urlsplit(p.get("src")).path for p in editor_posters)
    pipeline_posters = [p for p in posters if not p.get("srcset")]
    assert all("/media/renditions/" in p.get("src") for p in pipeline_posters)
