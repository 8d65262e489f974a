"""The video player's beacon (plays, progress, embedding sites) and the follow-up question."""

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from cms.learning.models import Learner, UnitProgress
from cms.reach.aggregate import fold
from cms.reach.counting import flush
from cms.reach.models import DailyFigure, FollowUp, FollowUpAnswer, FollowUpOptOut, PlayEvent

from .conftest import CHROME, GOOGLEBOT

pytestmark = pytest.mark.django_db


def beacon(client, body, ip="192.0.2.10", user_agent=CHROME):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(reverse("reach_beacon"), data, content_type="text/plain",
                       HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)  # fmt: skip


@pytest.mark.parametrize(
    "junk",
    [
        b"",
        b"\xff\xfe",
        b"[1, 2]",
        b"null",
        b'{"video": "7", "milestone": 0}',
        b'{"video": true, "milestone": 0}',
        b'{"video": 1e999, "milestone": 0}',
        b'{"video": 123456789012345678901234567890, "milestone": 0}',
        b'{"video": 5, "milestone": 33}',
        b'{"video": 5, "milestone": 0, "site": "<script>"}',
        b'{"video": 5, "milestone": 0, "site": ["a"]}',
        b"{" + b'"x": 1,' * 400 + b"}",
    ],
)
def test_beacon_rejects_junk_with_400(client, junk):
    response = beacon(client, junk)
    assert response.status_code == 400
    flush()
    assert not PlayEvent.objects.exists()


def test_beacon_only_takes_posts(client):
    assert client.get(reverse("reach_beacon")).status_code == 405


def test_plays_progress_and_embedding_sites_are_counted(client, publish_video):
    video = publish_video()
    page = client.get(video.url).content.decode()
    assert f'data-reach-video="{video.pk}"' in page  # the player sends the beacons

    for number in range(6):
        ip = f"192.0.2.{number + 20}"
        assert beacon(client, {"video": video.pk, "milestone": 0}, ip).status_code == 204
        beacon(client, {"video": video.pk, "milestone": 0}, ip)  # a second play: same viewer
        beacon(client, {"video": video.pk, "milestone": 25}, ip)
    for number in range(5):
        beacon(client, {"video": video.pk, "milestone": 0, "site": "www.ihk-beispiel.de"},
               f"198.51.100.{number + 1}")  # fmt: skip
    beacon(client, {"video": video.pk, "milestone": 0}, "203.0.113.9", GOOGLEBOT)
    beacon(client, {"video": video.pk, "milestone": 0, "site": "testserver"}, "203.0.113.10")
    fold()

    def figure(**filters):
        return sum(DailyFigure.objects.filter(subject=f"video:{video.pk}", **filters)
                   .values_list("count", flat=True))  # fmt: skip

    assert figure(metric="video_play", dimension="") == 12  # 6 + 5 embedded + 1 own host
    assert figure(metric="video_progress", value="25") == 6
    assert figure(metric="video_play", dimension="embed", value="www.ihk-beispiel.de") == 5
    assert figure(metric="video_play", dimension="embed", value="testserver") == 0


def complete_long_ago(learner, unit, days=61):
    now = timezone.now()
    UnitProgress.objects.create(
        learner=learner, unit=unit, started_at=now - dt.timedelta(days=days + 1),
        last_visited_at=now - dt.timedelta(days=days), completed_at=now - dt.timedelta(days=days),
    )  # fmt: skip


@pytest.fixture
def account(client, unit):
    user = get_user_model().objects.create_user("lernende", "l@example.org", "x" * 12)
    learner = Learner.objects.create(user=user)
    client.force_login(user)
    return learner


def test_follow_up_is_asked_after_the_set_days_and_stored_without_the_learner(
    client, unit, account, settings
):
    complete_long_ago(account, unit, days=10)
    assert "follow-up-title" not in client.get(unit.url).content.decode()  # too early

    UnitProgress.objects.all().delete()
    complete_long_ago(account, unit)
    html = client.get(unit.url).content.decode()
    assert "Haben Sie davon etwas im Betrieb umgesetzt?" in html
    assert unit.title in html

    response = client.post(
        reverse("reach_follow_up", args=[unit.pk]),
        {"answer": "partly", "text": "Wir posten jetzt wöchentlich.", "next": unit.url},
    )
    assert response.status_code == 302 and response["Location"] == unit.url
    client.post(reverse("reach_follow_up", args=[unit.pk]),
                {"answer": "yes", "next": unit.url})  # fmt: skip

    answer = FollowUpAnswer.objects.get()  # one answer, however often the form is sent
    assert (answer.answer, answer.text, answer.unit_id) == (
        "partly", "Wir posten jetzt wöchentlich.", unit.pk)  # fmt: skip
    assert answer.answered_on.day == 1
    assert not {f.name for f in FollowUpAnswer._meta.get_fields()} & {"learner", "user"}
    assert "follow-up-title" not in client.get(unit.url).content.decode()


def test_follow_up_can_be_declined_for_good(client, unit, account):
    complete_long_ago(account, unit)
    client.post(reverse("reach_follow_up", args=[unit.pk]), {"action": "never", "next": "/"})

    assert FollowUpOptOut.objects.filter(learner=account).exists()
    assert FollowUp.objects.filter(learner=account, unit=unit).exists()
    assert not FollowUpAnswer.objects.exists()
    assert "follow-up-title" not in client.get(unit.url).content.decode()


def test_follow_up_form_errors_and_strangers_get_no_500(client, unit, account):
    complete_long_ago(account, unit)
    bad = client.post(reverse("reach_follow_up", args=[unit.pk]),
                      {"answer": "vielleicht", "next": "https://evil.example/"})  # fmt: skip
    assert bad.status_code == 302 and bad["Location"] == "/#follow-up"
    assert not FollowUpAnswer.objects.exists()
    client.logout()
    stranger = client.post(reverse("reach_follow_up", args=[unit.pk]), {"answer": "yes"})
    assert stranger.status_code == 302
    assert not FollowUpAnswer.objects.exists()
