"""IAB Podcast Measurement 2.2 through the real enclosure views, folded by the real fold."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from cms.reach.aggregate import count_downloads, fold
from cms.reach.counting import flush
from cms.reach.models import DailyFigure, EnclosureRequest
from feeds.private import create_token

from .conftest import APPLE, CHROME, GOOGLEBOT, OVERCAST, get

pytestmark = pytest.mark.django_db

MINUTE = 1844  # bytes of one minute of the 125 s, 3840-byte test file


def downloads(metric="download", subject=None, dimension="", value=""):
    filters = {"metric": metric, "dimension": dimension, "value": value}
    if subject:
        filters["subject"] = subject
    return sum(f.count for f in DailyFigure.objects.filter(**filters))


def test_replayed_access_log_gives_the_iab_counts(client, episode):
    """A synthetic access log with known answers, through /podcast-audio/…"""
    path = episode.enclosure_path()
    subject = f"episode:{episode.pk}"
    # 1. Apple probes with 0-1, then asks for ranges that add up past one minute: 1 download.
    get(client, path, APPLE, "203.0.113.7", "bytes=0-1")
    get(client, path, APPLE, "203.0.113.7", "bytes=0-999")
    get(client, path, APPLE, "203.0.113.7", "bytes=500-1499")  # overlaps: adds 500 bytes
    get(client, path, APPLE, "203.0.113.7", "bytes=1500-2999")
    # 2. The same listener again within the day: still that one download.
    get(client, path, APPLE, "203.0.113.7")
    # 3. A second app behind the same address is another listener: 1 download.
    get(client, path, OVERCAST, "203.0.113.7")
    # 4. Ranges that never reach a minute: nothing.
    get(client, path, APPLE, "198.51.100.20", "bytes=0-499")
    get(client, path, APPLE, "198.51.100.20", "bytes=0-999")
    # 5. HEAD never counts; a bot never counts; a browser preloading a few KB never counts.
    get(client, path, APPLE, "198.51.100.30", method="head")
    get(client, path, GOOGLEBOT, "198.51.100.40")
    get(client, path, CHROME, "198.51.100.50", "bytes=0-1023")
    # 6. One IPv6 /64 with changing suffixes (privacy addresses) is one listener.
    for address in ("2001:db8:1:2::1", "2001:db8:1:2:abcd:ef01::5", "2001:db8:1:2:9:9:9:9"):
        get(client, path, APPLE, address)
    # 7. A small S3-style partial request answered 416 is not logged at all.
    get(client, path, APPLE, "198.51.100.60", "bytes=99999-")

    flush()
    assert EnclosureRequest.objects.filter(first_byte=0, last_byte=1).count() == 0  # probe
    fold()

    assert downloads(subject=subject) == 3  # Apple, Overcast, the IPv6 listener
    assert downloads(subject="all:audio") == 3
    assert downloads(subject=subject, dimension="app", value="Overcast") == 1
    assert downloads(subject=subject, dimension="platform", value="Apple iPhone") == 3


def test_s3_redirects_are_counted_like_local_files(client, episode, settings):
    settings.SERVE_MEDIA = False
    response = get(client, episode.enclosure_path(), OVERCAST)
    assert response.status_code == 302
    fold()
    assert downloads(subject=f"episode:{episode.pk}") == 1


def test_private_feed_downloads_are_counted_apart(client, episode, show):
    _token, secret = create_token(show, label="Partnernetz")
    private = reverse("private_episode_enclosure", args=[secret, episode.guid, "mp3"])

    # 200 with local media; on S3 a redirect to the bucket, counted all the same.
    assert get(client, private, OVERCAST).status_code in (200, 302)
    get(client, episode.enclosure_path(), APPLE, "192.0.2.5")
    fold()

    assert downloads("private_download", subject=f"episode:{episode.pk}") == 1
    assert downloads("download", subject=f"episode:{episode.pk}") == 1


def test_no_address_or_user_agent_is_stored_in_any_table(client, episode, show, caplog):
    caplog.set_level("DEBUG")
    _token, secret = create_token(show, label="Partnernetz")
    addresses = ["203.0.113.77", "2001:db8:5:6::42"]
    for ip in addresses:
        get(client, episode.enclosure_path(), OVERCAST, ip)
        get(client, reverse("private_episode_enclosure", args=[secret, episode.guid, "mp3"]),
            APPLE, ip)  # fmt: skip
    client.post(reverse("reach_beacon"), b'{"video": 999999, "milestone": 0}',
                content_type="text/plain", HTTP_USER_AGENT=CHROME,
                REMOTE_ADDR=addresses[0])  # fmt: skip
    fold()
    assert EnclosureRequest.objects.exists()

    needles = [*addresses, "2001:db8:5:6", "Overcast/3.0", "AppleCoreMedia/1.0", "Mozilla/5.0"]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - names from introspection
            text = repr(cursor.fetchall())
            for needle in needles:
                assert needle not in text, f"{needle} stored in {table}"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for needle in needles:
        assert needle not in logged


def at(hours: float) -> dt.datetime:
    return dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC) + dt.timedelta(hours=hours)


def row(hours, listener="a", previous="", first=0, last=3839, threshold=MINUTE, app="Overcast"):
    return (at(hours), "audio", 7, False, listener, previous, first, last, threshold, app, "")


def counted(rows) -> int:
    figures = count_downloads(rows, dt.date(2026, 1, 1))
    return sum(n for (_d, metric, subject, dim, _v), n in figures.items()
               if subject == "episode:7" and dim == "")  # fmt: skip


def test_the_24_hours_roll_across_midnight_with_the_salts_of_both_days():
    """The same listener 23 h later (next day, new salt) is the same download; 25 h later it
    is a new one. Yesterday's hash travels with each event (listener_prev)."""
    same_day_hash, next_day_hash = "today-a", "tomorrow-a"
    after_23 = [row(0, same_day_hash), row(23, next_day_hash, previous=same_day_hash)]
    after_25 = [row(0, same_day_hash), row(25, next_day_hash, previous=same_day_hash)]
    unlinked = [row(0, same_day_hash), row(23, next_day_hash, previous="")]

    assert counted(after_23) == 1
    assert counted(after_25) == 2
    assert counted(unlinked) == 2


def test_ranges_are_summed_within_the_window_only():
    half = MINUTE // 2
    within = [row(0, first=0, last=half), row(10, first=half + 1, last=MINUTE)]
    apart = [row(0, first=0, last=half), row(30, first=half + 1, last=MINUTE)]

    assert counted(within) == 1
    assert counted(apart) == 0
