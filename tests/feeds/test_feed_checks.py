"""``feeds.checks``: the checks a live feed passes, which the archive's copies must pass too."""

import pytest

from feeds.checks import check_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_feed(client, show, publish_episode):
    publish_episode(title="Erste Folge", slug="erste-folge")
    publish_episode(title="Zweite Folge", slug="zweite-folge")
    response = client.get(show.feed_path())
    assert response.status_code == 200
    return response.content


def test_the_live_feed_passes_every_check(live_feed):
    assert live_feed.count(b"<enclosure") == 2
    assert check_feed(live_feed, "http://testserver/feed.xml") == []


def test_a_repeated_guid_and_a_broken_enclosure_are_found(live_feed):
    first, second = [
        part.split(b"</guid>")[0] for part in live_feed.split(b'<guid isPermaLink="false">')[1:]
    ]
    broken = live_feed.replace(second, first).replace(b'length="', b'length="-', 1)

    problems = check_feed(broken, "http://testserver/feed.xml")

    assert "item guids repeat" in problems
    assert any("enclosure length '-" in problem for problem in problems), problems


def test_a_feed_that_is_not_xml_is_said_to_be_so():
    assert check_feed(b"<rss><channel>", "http://testserver/feed.xml")[0].startswith(
        "not well-formed XML"
    )
