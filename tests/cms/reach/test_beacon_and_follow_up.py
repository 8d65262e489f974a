"""The video player's beacon (plays, progress, embedding sites) and the follow-up question."""

import datetime as dt
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cms.learning.models import Learner, UnitProgress
from cms.reach import follow_up
from cms.reach.aggregate import fold
from cms.reach.counting import flush
from cms.reach.models import (
    DailyFigure,
    FollowUp,
    FollowUpAnswer,
    FollowUpMailConsent,
    FollowUpOptOut,
    PlayEvent,
)
from cms.reach.tasks import send_follow_up_mails_task

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


@pytest.fixture
def check_submitted_long_ago(home_pages, topics, account):
    """A Digital-Check the account submitted 61 days ago."""
    from cms.digitalcheck.models import Submission, SubmissionStatus
    from cms.digitalcheck.submissions import start_submission
    from tests.cms.digitalcheck.factories import dimension, make_check

    home, _english = home_pages
    page = make_check(home, [dimension("Strategie", ["Wir haben einen Plan."])], [])
    submission = start_submission(page, account)
    Submission.objects.filter(pk=submission.pk).update(
        status=SubmissionStatus.SUBMITTED,
        submitted_at=timezone.now() - dt.timedelta(days=61),
    )
    return page, submission


def test_follow_up_after_a_digital_check_is_asked_on_the_check_page(
    client, account, check_submitted_long_ago, django_user_model
):
    page, submission = check_submitted_long_ago
    html = client.get(page.url).content.decode()
    assert "follow-up-title" in html and "Digital-Check" in html
    url = reverse("reach_follow_up_check", args=[submission.pk])
    assert url in html

    stranger = django_user_model.objects.create_user("fremd", "f@example.org", "x" * 12)
    other = Client()
    other.force_login(stranger)
    other.post(url, {"answer": "no", "next": "/"})
    assert not FollowUpAnswer.objects.exists()  # only the check's own learner answers

    client.post(url, {"answer": "yes", "text": "Neue Website", "next": page.url})
    answer = FollowUpAnswer.objects.get()
    assert (answer.digital_check_id, answer.unit_id, answer.text) == (page.pk, None,
                                                                      "Neue Website")  # fmt: skip
    assert "follow-up-title" not in client.get(page.url).content.decode()


def test_declining_a_check_for_good_ends_units_questions_too(
    client, unit, account, check_submitted_long_ago
):
    page, submission = check_submitted_long_ago
    complete_long_ago(account, unit, days=70)  # the unit is older: asked first
    assert reverse("reach_follow_up", args=[unit.pk]) in client.get(page.url).content.decode()
    client.post(reverse("reach_follow_up", args=[unit.pk]), {"action": "skip", "next": "/"})
    assert url_in(client, page.url, reverse("reach_follow_up_check", args=[submission.pk]))

    client.post(reverse("reach_follow_up_check", args=[submission.pk]),
                {"action": "never", "next": "/"})  # fmt: skip
    assert FollowUpOptOut.objects.filter(learner=account).exists()
    assert "follow-up-title" not in client.get(page.url).content.decode()
    assert "follow-up-title" not in client.get(unit.url).content.decode()


def url_in(client, page_url, url):
    return url in client.get(page_url).content.decode()


def test_follow_up_mail_goes_once_to_those_who_opted_in(
    client, unit, account, mailoutbox, django_user_model, catalogue
):
    complete_long_ago(account, unit)
    silent = Learner.objects.create(
        user=django_user_model.objects.create_user("still", "s@example.org", "x" * 12)
    )
    complete_long_ago(silent, unit)
    declined = Learner.objects.create(
        user=django_user_model.objects.create_user("nein", "n@example.org", "x" * 12)
    )
    complete_long_ago(declined, unit)
    FollowUpMailConsent.objects.create(learner=declined)
    FollowUpOptOut.objects.create(learner=declined)

    my_data = catalogue.url + "my-data/"
    assert "Ja, fragen Sie mich per E-Mail" in client.get(my_data).content.decode()
    client.post(reverse("reach_follow_up_mail"), {"consent": "yes", "next": my_data})
    assert FollowUpMailConsent.objects.filter(learner=account).exists()

    call_command("send_follow_up_mails", stdout=io.StringIO())
    assert send_follow_up_mails_task() == 0  # the beat's daily task: nothing new to send

    assert [mail.to for mail in mailoutbox] == [["l@example.org"]]
    mail = mailoutbox[0]
    assert unit.title in mail.subject
    assert "Haben Sie davon etwas im Betrieb umgesetzt?" in mail.body
    assert f"{unit.full_url}#follow-up" in mail.body

    export = json.loads(client.get(my_data + "export/").content)["follow_up"]
    assert export["asked_by_email"] is True
    assert export["emails_sent"][0]["about"] == unit.title
    client.post(reverse("reach_follow_up_mail"), {"consent": "no", "next": my_data})
    assert not FollowUpMailConsent.objects.filter(learner=account).exists()


def test_never_ask_again_follows_an_anonymous_learner_into_the_account(unit, account):
    from cms.learning.progress import merge_learners

    anonymous = Learner.objects.create(token_hash="a" * 64)
    complete_long_ago(anonymous, unit)
    follow_up.decline(anonymous, for_good=True, unit=unit)
    complete_long_ago(account, unit)
    assert follow_up.find_due(account) is not None

    merge_learners(anonymous, account)

    assert follow_up.find_due(account) is None
    assert FollowUpOptOut.objects.filter(learner=account).exists()


def test_after_the_project_ended_no_follow_up_is_asked_or_mailed_but_plays_count(
    client, unit, account, mailoutbox, publish_video
):
    from tests.cms.learning.test_project_ended import end_project

    complete_long_ago(account, unit)
    FollowUpMailConsent.objects.create(learner=account)
    end_project()

    assert "follow-up-title" not in client.get(unit.url).content.decode()
    answer = client.post(reverse("reach_follow_up", args=[unit.pk]), {"answer": "yes"})
    assert answer.status_code == 403 and not FollowUpAnswer.objects.exists()
    assert send_follow_up_mails_task() == 0 and mailoutbox == []
    video = publish_video()
    assert beacon(client, {"video": video.pk, "milestone": 0}).status_code == 204
    fold()
    assert DailyFigure.objects.filter(subject=f"video:{video.pk}", metric="video_play").exists()
