"""What caches and podcast apps see of the feed endpoints over HTTP: gzip when the client
accepts it, and one cached copy whatever the listener's language."""

import datetime as dt
import gzip

import feedparser
import pytest
from django.conf import settings as django_settings

from cms.core.models import CacheGeneration
from cms.podcasts.models import EpisodeChapter

pytestmark = pytest.mark.django_db

TRANSCRIPT = "WEBVTT\n\n" + "".join(
    f"00:00:{n:02d}.000 --> 00:00:{n + 1:02d}.000\nSatz {n} des Gesprächs über Förderung.\n\n"
    for n in range(20)
)


def vary(response) -> set[str]:
    return {value.strip().lower() for value in response.get("Vary", "").split(",") if value}


def assert_language_neutral(response):
    assert "accept-language" not in vary(response)
    assert not response.has_header("Content-Language")


@pytest.fixture
def episode(publish_episode):
    episode = publish_episode(title="Erste Folge", transcript=TRANSCRIPT)
    for n in range(8):
        EpisodeChapter.objects.create(
            page=episode, start=dt.timedelta(seconds=10 * n), title=f"Förderprogramm {n}"
        )
    CacheGeneration.bump(CacheGeneration.PODCASTS)
    return episode


def test_feed_is_gzipped_for_clients_that_accept_it(client, show, episode):
    response = client.get(show.feed_path(), HTTP_ACCEPT_ENCODING="gzip, deflate")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "accept-encoding" in vary(response)
    parsed = feedparser.parse(gzip.decompress(response.content))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [entry.title for entry in parsed.entries] == ["Erste Folge"]


def test_every_poll_gets_the_same_gzipped_bytes(client, show, episode):
    """The feed is compressed once per change, not per poll: every client (and CDN node)
    gets byte-identical answers, which range requests and caches rely on."""
    answers = [client.get(show.feed_path(), HTTP_ACCEPT_ENCODING="gzip") for _ in range(3)]

    assert len({answer.content for answer in answers}) == 1
    assert gzip.decompress(answers[0].content) == client.get(show.feed_path()).content


def test_feed_stays_plain_for_clients_without_gzip(client, show, episode):
    response = client.get(show.feed_path())

    assert not response.has_header("Content-Encoding")
    assert "accept-encoding" in vary(response)
    assert feedparser.parse(response.content).entries[0].title == "Erste Folge"


def test_gzipped_feed_still_answers_conditional_requests_with_304(client, show, episode):
    first = client.get(show.feed_path(), HTTP_ACCEPT_ENCODING="gzip")
    etag = first["ETag"]
    assert etag.startswith('W/"')  # the bytes on the wire are not the XML's own

    again = client.get(show.feed_path(), HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert "accept-encoding" in vary(again)
    assert_language_neutral(again)


@pytest.mark.parametrize("accept_language", ["de", "en", ""])
def test_feed_is_the_same_response_in_every_language(client, show, episode, accept_language):
    response = client.get(show.feed_path(), HTTP_ACCEPT_LANGUAGE=accept_language)

    assert response.status_code == 200
    assert_language_neutral(response)


def test_chapters_and_transcript_are_gzipped_and_answer_304(client, episode):
    for path in (episode.chapters_path(), episode.transcript_path()):
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip", HTTP_ACCEPT_LANGUAGE="en")

        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip", path
        assert "accept-encoding" in vary(response)
        assert_language_neutral(response)
        assert gzip.decompress(response.content).startswith((b"{", b"WEBVTT"))

        again = client.get(path, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304, path


def test_enclosure_is_neither_compressed_nor_split_by_language(client, episode):
    response = client.get(
        episode.enclosure_path(), HTTP_ACCEPT_ENCODING="gzip", HTTP_ACCEPT_LANGUAGE="en"
    )

    if django_settings.MEDIA_ON_S3:
        # The bucket serves the bytes; our redirect to it must not vary by language either.
        assert response.status_code == 302
        assert_language_neutral(response)
        return
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert_language_neutral(response)
    ranged = client.get(episode.enclosure_path(), HTTP_RANGE="bytes=0-99")
    assert ranged.status_code == 206
    assert_language_neutral(ranged)


def test_public_pages_still_say_their_language(client, show):
    response = client.get(show.url)

    assert response.status_code == 200
    assert response["Content-Language"] == "de"
