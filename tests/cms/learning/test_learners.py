"""Who is learning: no learner row and no cookie before the first write; the cookie slides."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from cms.learning.learners import COOKIE_NAME
from cms.learning.models import Learner, StepProgress

pytestmark = pytest.mark.django_db


def action(unit, name, step, block_id=None):
    args = [step.id] if block_id is None else [step.id, block_id]
    return unit.url + unit.reverse_subpage(name, args=args)


def test_reading_steps_and_progress_stores_nothing_and_sets_no_cookie(unit):
    """A crawler (no cookies) reading every step and the progress API leaves no trace."""
    responses = []
    for _round in range(10):
        crawler = Client()
        for step in unit.step_list:
            responses.append(crawler.get(unit.step_url(step.id)))
        responses.append(crawler.get(f"/api/learning/units/{unit.pk}/progress"))
    assert all(response.status_code == 200 for response in responses)
    assert not any(COOKIE_NAME in response.cookies for response in responses)
    assert Learner.objects.count() == 0 and not StepProgress.objects.exists()


def test_progress_api_without_learner_is_empty_not_an_error(unit):
    data = Client().get(f"/api/learning/units/{unit.pk}/progress").json()
    assert data == {
        "unit_id": unit.pk,
        "completed": False,
        "last_step_id": "",
        "steps": [],
        "checklist_items": [],
        "reflections": {},
    }


def test_the_first_write_creates_the_learner_and_sets_the_cookie(client, unit):
    done_step = unit.step_list[1]
    client.get(unit.step_url(done_step.id))
    assert Learner.objects.count() == 0
    response = client.post(action(unit, "step_done", done_step))
    assert response.status_code == 302
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == settings.LEARNING_ANONYMOUS_RETENTION_DAYS * 24 * 60 * 60
    learner = Learner.objects.get()
    # From now on reading the step is remembered (for resuming and time on the step).
    client.get(unit.step_url(unit.step_list[0].id))
    assert StepProgress.objects.filter(learner=learner).count() == 2


def test_saving_progress_from_a_step_page_by_form(client, unit):
    """Without JavaScript a visitor can start saving progress on a step they only read."""
    first = unit.step_list[0]
    html = client.get(unit.step_url(first.id)).content.decode()
    assert f'action="{action(unit, "step_viewed", first)}"' in html
    response = client.post(action(unit, "step_viewed", first))
    assert response.status_code == 302 and COOKIE_NAME in response.cookies
    assert StepProgress.objects.get(learner=Learner.objects.get()).step_id == first.id
    assert f'action="{action(unit, "step_viewed", first)}"' not in (
        client.get(unit.step_url(first.id)).content.decode()
    )


def test_an_invalid_post_creates_no_learner(client, unit):
    quiz_step = unit.step_list[2]
    quiz_ = next(iter(quiz_step.quizzes.values()))
    question = quiz_.questions[0]
    client.post(action(unit, "quiz", quiz_step, quiz_.id), {f"q-{question.id}": "nonsense"})
    assert Learner.objects.count() == 0


def test_the_cookie_is_renewed_while_the_learner_uses_it(client, unit):
    """An active learner keeps their progress past the first cookie's lifetime."""
    done_step = unit.step_list[1]
    token = client.post(action(unit, "step_done", done_step)).cookies[COOKIE_NAME].value
    long_ago = timezone.now() - timedelta(days=settings.LEARNING_ANONYMOUS_RETENTION_DAYS - 1)
    Learner.objects.update(last_seen_at=long_ago, created_at=long_ago)

    response = client.get(unit.step_url(unit.step_list[0].id))
    renewed = response.cookies[COOKIE_NAME]
    assert renewed.value == token
    assert renewed["max-age"] == settings.LEARNING_ANONYMOUS_RETENTION_DAYS * 24 * 60 * 60
    assert Learner.objects.get().last_seen_at > long_ago


def test_after_logging_in_reading_a_step_counts(client, catalogue, unit):
    """An account is the holder's request to keep their progress: no first write needed."""
    get_user_model().objects.create_user("neu@example.org", "neu@example.org", "Geheim-123!")
    response = client.post(
        catalogue.url + "login/", {"username": "neu@example.org", "password": "Geheim-123!"}
    )
    assert response.status_code == 302
    response = client.get(unit.step_url(unit.step_list[0].id))
    assert COOKIE_NAME not in response.cookies
    learner = Learner.objects.get(user__email="neu@example.org")
    assert StepProgress.objects.filter(learner=learner).count() == 1
