"""Answering without JavaScript: steps, validation, pause and continue, result, retake."""

import re

import pytest
from django.test import Client

from cms.digitalcheck.models import Submission, SubmissionStatus
from cms.learning.learners import COOKIE_NAME

from .factories import snapshot_ids

pytestmark = pytest.mark.django_db


def url(page, name, *args):
    return page.url + page.reverse_subpage(name, args=[str(a) for a in args])


def start(client, page):
    response = client.post(page.url, {"action": "start"})
    assert response.status_code == 302
    return response


def answer_all(client, page, dims=((3, 4), (5,)), ratings=((2, 5), (4, 4), (1, 2)), context=None):
    """Go through every step; returns the final response (the redirect to the result)."""
    questions, topics = snapshot_ids(page)
    client.post(url(page, "answer", 0), {"action": "next", **(context or {})})
    for index, (ids, values) in enumerate(zip(questions, dims, strict=True), start=1):
        data = {f"q-{qid}": value for qid, value in zip(ids, values, strict=True)}
        assert (
            client.post(url(page, "answer", index), {"action": "next", **data}).status_code == 302
        )
    data = {"action": "next"}
    for tid, (implementation, relevance) in zip(topics, ratings, strict=True):
        data[f"impl-{tid}"], data[f"rel-{tid}"] = implementation, relevance
    return client.post(url(page, "answer", len(questions) + 1), data)


def test_anonymous_visitor_completes_the_check_and_sees_scores(client, check_page, levels):
    start(client, check_page)
    response = answer_all(client, check_page, context={"sector": "craft", "size_band": "micro"})
    submission = Submission.objects.get()
    assert response["Location"] == url(check_page, "result", submission.token)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert (submission.sector, submission.size_band, submission.region) == ("craft", "micro", "")
    html = client.get(response["Location"]).content.decode()
    # Strategy (3 + 4) / 10 = 70, AI 5 / 5 = 100, overall 85.
    assert re.search(r"85(,|\.)0", html)
    assert re.search(r"70(,|\.)0", html) and re.search(r"100(,|\.)0", html)
    assert "<svg" in html and "<table" in html and 'role="img"' in html
    assert "Online-Marketing" in html


def test_a_missing_answer_is_reported_on_the_step_and_nothing_is_lost(client, check_page):
    start(client, check_page)
    client.post(url(check_page, "answer", 0), {"action": "next"})
    (first, second), _third = snapshot_ids(check_page)[0]
    response = client.post(url(check_page, "answer", 1), {"action": "next", f"q-{first}": 2})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "Wir haben Budget." in html
    assert 'aria-invalid="true"' in html
    assert f'id="error-q-{second}"' in html
    # The answer given stays selected.
    assert re.search(rf'name="q-{first}"[^>]*value="2"[^>]*checked', html)


def test_bad_values_are_refused_with_a_message_not_an_error(client, check_page):
    start(client, check_page)
    response = client.post(url(check_page, "answer", 0), {"action": "next", "sector": "doom"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert Submission.objects.get().sector == ""
    client.post(url(check_page, "answer", 0), {"action": "next"})
    (first, second), _third = snapshot_ids(check_page)[0]
    response = client.post(
        url(check_page, "answer", 1), {"action": "next", f"q-{first}": "9", f"q-{second}": "x"}
    )
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()


def test_pause_and_continue_later_in_the_same_browser(check_page):
    browser = Client()
    start(browser, check_page)
    browser.post(url(check_page, "answer", 0), {"action": "next", "region": "north"})
    (first, _second), _third = snapshot_ids(check_page)[0]
    response = browser.post(url(check_page, "answer", 1), {"action": "pause", f"q-{first}": 4})
    assert response["Location"] == check_page.url
    # Later: a new client with only the learner cookie continues at the paused step.
    later = Client()
    later.cookies[COOKIE_NAME] = browser.cookies[COOKIE_NAME].value
    start_page = later.get(check_page.url).content.decode()
    assert 'value="continue"' in start_page
    response = later.post(check_page.url, {"action": "continue"})
    assert response["Location"] == url(check_page, "answer", 1)
    html = later.get(response["Location"]).content.decode()
    assert re.search(rf'name="q-{first}"[^>]*value="4"[^>]*checked', html)
    assert Submission.objects.get().region == "north"


def test_another_browser_cannot_continue_someone_elses_draft(client, check_page):
    start(client, check_page)
    stranger = Client()
    response = stranger.get(url(check_page, "answer", 0))
    assert response.status_code == 302 and response["Location"] == check_page.url


def test_steps_cannot_be_skipped(client, check_page):
    start(client, check_page)
    response = client.get(url(check_page, "answer", 3))
    assert response["Location"] == url(check_page, "answer", 0)


def test_unknown_result_token_is_a_404(client, check_page):
    assert client.get(url(check_page, "result", "not-a-token")).status_code == 404


def test_result_is_private_and_not_cached(client, check_page, levels):
    start(client, check_page)
    location = answer_all(client, check_page)["Location"]
    response = client.get(location)
    assert response["Cache-Control"] == "private, no-store"
    token = Submission.objects.get().token
    assert len(token) >= 32
    # The private link works without the learner's cookie (it is the capability).
    assert Client().get(location).status_code == 200


def test_retake_starts_from_previous_answers_and_shows_the_change(client, check_page, levels):
    start(client, check_page)
    first = answer_all(client, check_page)["Location"]
    token = Submission.objects.get().token
    response = client.post(url(check_page, "retake", token))
    assert response["Location"] == url(check_page, "answer", 0)
    # Strategy goes from 70 to 100, AI stays at 100: overall from 85 to 100 (+15).
    final = answer_all(client, check_page, dims=((5, 5), (5,)))["Location"]
    assert final != first
    retake = Submission.objects.latest("pk")
    assert retake.previous.token == token
    html = client.get(final).content.decode()
    assert "+30" in html and "+15" in html


def test_result_pdf_is_a_tagged_german_pdf(client, check_page, levels):
    start(client, check_page)
    location = answer_all(client, check_page)["Location"]
    token = Submission.objects.get().token
    response = client.get(url(check_page, "result_pdf", token))
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert b"/Lang (de)" in pdf and b"/StructTreeRoot" in pdf and b"/MarkInfo" in pdf
    assert client.get(location).status_code == 200


@pytest.mark.parametrize("has_account_learner", [False, True])
def test_checks_follow_the_learner_into_their_account(client, check_page, catalogue,
                                                      has_account_learner):  # fmt: skip
    from django.contrib.auth import get_user_model

    from cms.learning.models import Learner

    user = get_user_model().objects.create_user("max@example.org", "max@example.org", "Geh-123!")
    if has_account_learner:  # cms.learning then merges and deletes the anonymous learner
        Learner.objects.create(user=user)
    start(client, check_page)
    answer_all(client, check_page)
    response = client.post(
        catalogue.url + "login/", {"username": "max@example.org", "password": "Geh-123!"}
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.learner.user == user and submission.learner_token_hash == ""
    # On another device, signed in, the last result is offered.
    other = Client()
    other.force_login(user)
    html = other.get(check_page.url).content.decode()
    assert url(check_page, "result", submission.token) in html


def test_my_data_exports_the_check_and_deleting_cuts_every_link_to_it(
    client, check_page, catalogue
):
    start(client, check_page)
    answer_all(client, check_page, context={"sector": "craft"})
    submission = Submission.objects.get()
    result_url = url(check_page, "result", submission.token)
    assert client.get(result_url).status_code == 200

    exported = client.get(catalogue.url + "my-data/export/").json()
    [check] = exported["digital_checks"]
    assert check["status"] == "submitted" and check["sector"] == "craft"
    assert check["answers"] == submission.answers and check["scores"] == submission.scores

    response = client.post(catalogue.url + "my-data/", {"confirm": "yes"})
    assert response.status_code == 302
    # The answers stay in the centre's anonymous aggregates; nothing leads back to the learner.
    submission.refresh_from_db()
    assert submission.learner is None and submission.learner_token_hash == ""
    assert client.get(result_url).status_code == 404
    assert Client().get(result_url).status_code == 404


def test_chart_shows_every_dimension_name_whole(client, home_pages, topics, levels):
    """Long dimension names are not cut off in the chart (they wrap beside their bar)."""
    from .factories import dimension, make_check, topic_pair

    home, _english = home_pages
    long_name = "Menschenzentrierte Digitalisierung und Weiterbildung im Betrieb"
    page = make_check(
        home,
        [dimension(long_name, ["Wir bilden uns weiter."]), dimension("KI", ["Wir nutzen KI."])],
        [topic_pair(topic) for topic in topics],
    )
    start(client, page)
    response = answer_all(client, page, dims=((3,), (5,)))
    html = client.get(response["Location"]).content.decode()
    chart = html[html.index('class="check-chart"') :].split("<table")[0]
    assert long_name in chart and "…" not in chart
