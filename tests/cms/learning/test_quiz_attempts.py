"""Quiz attempt limits hold when one learner posts several answers at the same time."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from cms.learning.learners import COOKIE_NAME
from cms.learning.models import QuizAttempt

from .factories import make_unit, quiz, step

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL_POSTS = 6


def lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_parallel_answers_cannot_exceed_the_attempt_limit(catalogue, levels):
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL; SQLite lets only one writer in at a time")
    unit = make_unit(
        catalogue,
        [step("Quiz", [quiz(max_attempts=1)], completion="quiz_passed")],
        level_min=levels[0],
        slug="ein-versuch",
    )
    quiz_step = unit.step_list[0]
    quiz_ = next(iter(quiz_step.quizzes.values()))
    question = quiz_.questions[0]
    url = unit.url + unit.reverse_subpage("quiz", args=[quiz_step.id, quiz_.id])
    answer = {f"q-{question.id}": question.options[0].id}

    first = Client()
    first.post(unit.url + unit.reverse_subpage("step_done", args=[quiz_step.id]))
    token = first.cookies[COOKIE_NAME].value

    statuses = []

    def post_answer():
        browser = Client()
        browser.cookies[COOKIE_NAME] = token
        try:
            statuses.append(browser.post(url, answer).status_code)
        finally:
            connections.close_all()

    browsers = [threading.Thread(target=post_answer) for _ in range(PARALLEL_POSTS)]
    # Starting gate: new attempts cannot be written until every post is under way, so all
    # of them have read the attempts so far before the first one is stored.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {QuizAttempt._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        for browser in browsers:
            browser.start()
        deadline = time.monotonic() + 30
        while lock_waiters() < PARALLEL_POSTS and time.monotonic() < deadline:
            time.sleep(0.05)
    for browser in browsers:
        browser.join(timeout=60)

    assert statuses == [302] * PARALLEL_POSTS  # refused posts get a message, not an error
    assert QuizAttempt.objects.count() == 1
