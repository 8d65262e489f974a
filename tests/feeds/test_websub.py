"""WebSub: feeds name the configured hubs, and changes ping them through a real Celery worker.

The hubs are small HTTP servers on the loopback interface that record what they are sent.
"""

from __future__ import annotations

import email.utils
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import feedparser
import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_retry
from django.db import transaction
from lxml import etree
from wagtail.models import Locale

from cms.celery import app
from feeds import websub
from feeds.tasks import ping_websub_hub_task
from media_pipeline.models import MediaRendition
from media_pipeline.signals import rendition_ready

pytestmark = pytest.mark.django_db

FEED_URL = "https://lernfunk.example/feeds/podcast/7.xml"


class Hub:
    """A WebSub hub that records every POST and answers with ``statuses`` in turn (the last
    one again and again); a status may be a ``(status, headers)`` pair."""

    def __init__(self, statuses=(204,)):
        self.statuses = list(statuses)
        self.received: list[dict] = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                hub.received.append(
                    {
                        "path": self.path,
                        "content_type": self.headers.get("Content-Type"),
                        "form": parse_qs(body.decode("ascii"), strict_parsing=True),
                    }
                )
                status = hub.statuses.pop(0) if len(hub.statuses) > 1 else hub.statuses[0]
                status, headers = status if isinstance(status, tuple) else (status, {})
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hub"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def make_hub():
    hubs = []

    def make(statuses=(204,)):
        hub = Hub(statuses)
        hubs.append(hub)
        return hub

    yield make
    for hub in hubs:
        hub.close()


@pytest.fixture
def celery_worker(settings):
    """A real worker (in this process, solo pool) on the configured broker's default queue.

    Request it last: tasks the other fixtures queued (cover art sizes) are dropped first."""
    settings.WEBSUB_PING_DELAY = 0
    app.control.purge()
    with start_worker(
        app, pool="solo", queues=["default"], perform_ping_check=False, shutdown_timeout=20
    ) as worker:
        yield worker
    app.control.purge()  # messages held for later (retries) go back to the queue on shutdown


def wait_until(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def publish_form(feed_url):
    return {"hub.mode": ["publish"], "hub.url": [feed_url]}


# --- the hub link in the feed ------------------------------------------------------------


def test_feed_names_the_configured_hubs(client, show, publish_episode, settings):
    publish_episode()
    settings.WEBSUB_HUBS = ["https://hub.example.org/", "https://websub.example.net/hub"]

    xml = client.get(show.feed_path()).content

    root = etree.fromstring(xml)
    links = root.xpath("/rss/channel/*[local-name()='link'][namespace-uri()!='']")
    assert [(link.get("rel"), link.get("href")) for link in links] == [
        ("self", f"http://testserver{show.feed_path()}"),
        ("hub", "https://hub.example.org/"),
        ("hub", "https://websub.example.net/hub"),
    ]
    assert not feedparser.parse(xml).bozo


def test_feed_without_hubs_has_no_hub_link(client, show, publish_episode, settings):
    publish_episode()
    settings.WEBSUB_HUBS = []

    root = etree.fromstring(client.get(show.feed_path()).content)

    assert root.xpath("/rss/channel/*[local-name()='link'][@rel='hub']") == []


# --- the ping task ------------------------------------------------------------------------


def test_ping_posts_the_publish_form_to_the_hub(make_hub):
    hubs = [make_hub(), make_hub(statuses=(202,))]

    for hub in hubs:
        ping_websub_hub_task(hub.url, FEED_URL)

    for hub in hubs:
        (request,) = hub.received
        assert request["path"] == "/hub"
        assert request["content_type"] == "application/x-www-form-urlencoded"
        assert request["form"] == publish_form(FEED_URL)


@pytest.mark.parametrize("status", [500, 502, 503, 429, 408])
def test_a_failing_or_busy_hub_is_a_transient_error(make_hub, status):
    hub = make_hub(statuses=(status,))

    # Called directly (outside a worker), Celery's autoretry re-raises the error itself.
    with pytest.raises(websub.TransientHubError):
        ping_websub_hub_task(hub.url, FEED_URL)

    assert len(hub.received) == 1
    assert issubclass(websub.TransientHubError, ping_websub_hub_task.autoretry_for)


def test_an_answer_that_is_not_http_is_a_transient_error():
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]

        def answer_garbage():
            connection, _address = server.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(b"SPAM\r\n\r\n")

        thread = threading.Thread(target=answer_garbage, daemon=True)
        thread.start()
        with pytest.raises(websub.TransientHubError):
            websub.ping_hub(f"http://127.0.0.1:{port}/hub", FEED_URL, timeout=5)
        thread.join(5)


def test_an_unreachable_hub_is_a_transient_error(make_hub):
    hub = make_hub()
    url = hub.url
    hub.close()  # nothing listens on the port any more: connection refused

    with pytest.raises(websub.TransientHubError):
        websub.ping_hub(url, FEED_URL, timeout=2)


@pytest.mark.parametrize("status", [400, 404, 410, 301])
def test_a_hub_that_refuses_is_logged_and_not_retried(make_hub, status, caplog):
    hub = make_hub(statuses=(status,))

    assert ping_websub_hub_task(hub.url, FEED_URL) is None

    assert len(hub.received) == 1
    assert f"HTTP {status}" in caplog.text
    assert FEED_URL in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_worker_schedules_a_retry_when_the_hub_answers_503(make_hub, celery_worker):
    hub = make_hub(statuses=(503,))
    retries = []

    def on_retry(sender=None, request=None, reason=None, **kwargs):
        retries.append((request.args, reason))

    task_retry.connect(on_retry, weak=False)
    try:
        ping_websub_hub_task.delay(hub.url, FEED_URL)
        wait_until(lambda: retries)
    finally:
        task_retry.disconnect(on_retry)

    ((args, reason),) = retries
    assert list(args) == [hub.url, FEED_URL]
    assert isinstance(reason.exc, websub.TransientHubError)
    assert 0 <= reason.when <= 30  # the first backoff step: retry_backoff=30, full jitter (0 too)
    assert hub.received[0]["form"] == publish_form(FEED_URL)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "retry_after, expected",
    [
        ("120", 120),  # delay-seconds
        (lambda: email.utils.formatdate(time.time() + 900, usegmt=True), 900),  # HTTP date
        ("604800", websub.RETRY_AFTER_MAX),  # a week: capped
    ],
)
def test_a_worker_waits_as_long_as_the_hub_asks(make_hub, celery_worker, retry_after, expected):
    """A hub that answers 429 or 503 with Retry-After is asked again after that time, not
    after the first backoff step (30 s), which would only be refused again."""
    value = retry_after() if callable(retry_after) else retry_after
    hub = make_hub(statuses=((429, {"Retry-After": value}),))
    retries = []

    def on_retry(sender=None, request=None, reason=None, **kwargs):
        retries.append(reason)

    task_retry.connect(on_retry, weak=False)
    try:
        ping_websub_hub_task.delay(hub.url, FEED_URL)
        wait_until(lambda: retries)
    finally:
        task_retry.disconnect(on_retry)

    (reason,) = retries
    assert isinstance(reason.exc, websub.TransientHubError)
    assert expected - 5 <= reason.when <= expected


@pytest.mark.parametrize("value", ["", "soon", "Sun, 06 Dec 2026 08:00:00", "-5"])
def test_an_unreadable_retry_after_falls_back_to_backoff(value):
    assert websub.parse_retry_after(value) is None


def test_a_retry_after_in_the_past_means_soon():
    assert websub.parse_retry_after("Thu, 01 Jan 2026 00:00:00 GMT") == 1.0


# --- what is pinged, and when -------------------------------------------------------------


# The worker closes this thread's database connection when it starts: these tests commit.
@pytest.mark.django_db(transaction=True)
def test_publishing_an_episode_pings_every_hub_after_commit(
    make_hub, show, publish_episode, settings, celery_worker
):
    hubs = [make_hub(), make_hub()]
    settings.WEBSUB_HUBS = [hub.url for hub in hubs]

    with transaction.atomic():
        publish_episode()
        time.sleep(1)
        assert all(hub.received == [] for hub in hubs)  # nothing before the commit
    wait_until(lambda: all(hub.received for hub in hubs))

    feed_url = f"http://testserver/feeds/podcast/{show.pk}.xml"
    assert show.feed_url() == feed_url
    for hub in hubs:
        assert [request["form"] for request in hub.received] == [publish_form(feed_url)]


@pytest.mark.django_db(transaction=True)
def test_changes_of_one_feed_within_the_delay_send_one_ping_per_hub(
    make_hub, show, publish_episode, settings, celery_worker
):
    hubs = [make_hub(), make_hub()]
    settings.WEBSUB_HUBS = [hub.url for hub in hubs]
    settings.WEBSUB_PING_DELAY = 2

    publish_episode()
    publish_episode()
    show.save_revision().publish()
    wait_until(lambda: all(hub.received for hub in hubs))
    time.sleep(2)  # anything else would have left by now

    for hub in hubs:
        assert [request["form"] for request in hub.received] == [publish_form(show.feed_url())]


@pytest.mark.django_db(transaction=True)
def test_unpublishing_an_episode_and_new_audio_ping_the_feed(
    make_hub, show, publish_episode, settings, celery_worker
):
    episode = publish_episode()
    hub = make_hub()
    settings.WEBSUB_HUBS = [hub.url]
    feed_url = show.feed_url()

    episode.unpublish()
    wait_until(lambda: len(hub.received) == 1)
    other = publish_episode()
    wait_until(lambda: len(hub.received) == 2)
    # A re-rendered MP3 becomes READY in a worker, after its own commit.
    rendition_ready.send(sender=MediaRendition, instance=other.audio.renditions.first())
    wait_until(lambda: len(hub.received) == 3)

    assert [request["form"] for request in hub.received] == [publish_form(feed_url)] * 3


@pytest.mark.django_db(transaction=True)
def test_moving_an_episode_pings_the_feed_it_left_and_the_one_it_joined(
    make_hub, home_pages, show, publish_episode, settings, celery_worker
):
    from tests.cms.factories import PodcastShowPageFactory

    episode = publish_episode()
    other_show = PodcastShowPageFactory(parent=home_pages[0], slug="zweite-sendung")
    other_show.save_revision().publish()
    hub = make_hub()
    settings.WEBSUB_HUBS = [hub.url]
    settings.WEBSUB_PING_DELAY = 1  # the signal names the new feed twice: one ping for it

    episode.move(other_show, pos="last-child")
    wait_until(lambda: len(hub.received) == 2, timeout=60)
    time.sleep(2)

    pinged = sorted(request["form"]["hub.url"][0] for request in hub.received)
    assert pinged == sorted([show.feed_url(), other_show.feed_url()])


def test_nothing_is_sent_without_hubs(
    make_hub, show, publish_episode, settings, django_capture_on_commit_callbacks
):
    settings.WEBSUB_HUBS = []

    with django_capture_on_commit_callbacks() as callbacks:
        publish_episode()
        show.save_revision().publish()

    assert not [c for c in callbacks if getattr(c, "__module__", "") == websub.__name__]
    assert websub.find_feed_url(show) == show.feed_url()


def test_an_episode_and_a_translation_ping_the_shows_one_feed(home_pages, show, publish_episode):
    episode = publish_episode()
    english = Locale.objects.get(language_code="en")
    english_show = show.copy_for_translation(english)
    english_show.save_revision().publish()
    english_episode = episode.copy_for_translation(english)
    english_episode.save_revision().publish()

    feed_url = f"http://testserver/feeds/podcast/{show.pk}.xml"
    for page in (show, episode, english_show, english_episode):
        assert websub.find_feed_url(page) == feed_url
    assert websub.find_feed_url(home_pages[0]) == ""
