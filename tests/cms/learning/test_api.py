"""The JSON API: CSRF, validation (404 / 422), and a learner only ever sees their own data."""

import json

import pytest
from django.conf import settings
from django.test import Client

from cms.learning.learners import COOKIE_NAME
from cms.learning.models import ChecklistItemState, QuizAttempt, StepProgress, StepStatus

pytestmark = pytest.mark.django_db


def base(unit, step):
    return f"/api/learning/units/{unit.pk}/steps/{step.id}/"


@pytest.fixture
def learner_client(unit):
    """A browser that has opened the unit and holds a CSRF token (no learner yet)."""
    client = Client(enforce_csrf_checks=True)
    client.get(unit.step_url(unit.step_list[0].id))
    client.csrf = client.cookies[settings.CSRF_COOKIE_NAME].value
    return client


def post(client, url, body, raw=False):
    return client.post(
        url,
        body if raw else json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": getattr(client, "csrf", "")},
    )


def test_openapi_schema_is_published(client):
    schema = client.get("/api/openapi.json").json()
    assert any("quizzes" in path for path in schema["paths"])


def test_post_without_csrf_token_is_refused(unit, learner_client):
    learner_client.csrf = ""
    response = post(learner_client, base(unit, unit.step_list[1]) + "done", {})
    assert response.status_code == 403
    assert not StepProgress.objects.filter(step_id=unit.step_list[1].id).exists()


def test_step_done_and_viewed(unit, learner_client):
    done_step = unit.step_list[1]
    response = post(learner_client, base(unit, done_step) + "viewed", {})
    assert response.status_code == 200 and response.json()["status"] == "started"
    response = post(learner_client, base(unit, done_step) + "done", {})
    assert response.json()["status"] == StepStatus.COMPLETED


def test_quiz_answer_returns_feedback(unit, learner_client):
    quiz_step = unit.step_list[2]
    quiz_ = next(iter(quiz_step.quizzes.values()))
    question = quiz_.questions[0]
    wrong = next(o for o in question.options if not o.correct)
    right = next(o for o in question.options if o.correct)
    url = base(unit, quiz_step) + f"quizzes/{quiz_.id}/answers"
    data = post(learner_client, url, {"answers": {question.id: [wrong.id]}}).json()
    assert data["passed"] is False
    assert data["questions"][0]["feedback"] == ["Eher nicht für Fachkräfte."]
    assert data["questions"][0]["explanation"] == ""
    data = post(learner_client, url, {"answers": {question.id: [right.id]}}).json()
    assert data["passed"] is True and data["step"]["status"] == "completed"
    assert data["questions"][0]["explanation"] == "Weil es so ist."


def test_unknown_unit_step_or_block_is_404(unit, learner_client):
    unknown = "00000000-0000-4000-8000-000000000000"
    first = unit.step_list[0]
    assert (
        post(learner_client, f"/api/learning/units/999999/steps/{first.id}/done", {}).status_code
        == 404
    )
    response = post(learner_client, f"/api/learning/units/{unit.pk}/steps/{unknown}/done", {})
    assert response.status_code == 404
    assert response.json()["detail"]
    response = post(
        learner_client, base(unit, first) + f"quizzes/{unknown}/answers", {"answers": {}}
    )
    assert response.status_code == 404


def test_malformed_bodies_are_422_with_a_clear_message(unit, learner_client):
    quiz_step = unit.step_list[2]
    quiz_ = next(iter(quiz_step.quizzes.values()))
    url = base(unit, quiz_step) + f"quizzes/{quiz_.id}/answers"
    response = post(learner_client, url, "{not json", raw=True)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str)
    response = post(learner_client, url, {"answers": {"kein-uuid": []}})
    assert response.status_code == 422 and "answers" in response.json()["detail"]
    question = quiz_.questions[0]
    both = [o.id for o in question.options]
    response = post(learner_client, url, {"answers": {question.id: both}})
    assert response.status_code == 422
    assert not QuizAttempt.objects.exists()
    done_step = unit.step_list[1]
    checklist_ = next(iter(done_step.checklists.values()))
    item_url = base(unit, done_step) + f"checklists/{checklist_.id}/items/{checklist_.items[0][0]}"
    assert post(learner_client, item_url, {"checked": "vielleicht"}).status_code == 422
    assert post(learner_client, item_url, {"checked": True}).status_code == 200
    assert ChecklistItemState.objects.get().checked is True
    reflection_url = base(unit, done_step) + f"reflections/{next(iter(done_step.reflections))}"
    assert post(learner_client, reflection_url, {"text": "x" * 10_001}).status_code == 422


def test_progress_endpoint_shows_only_the_callers_data(unit):
    done_step = unit.step_list[1]
    reflection_url = base(unit, done_step) + f"reflections/{next(iter(done_step.reflections))}"
    anna, ben = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for browser in (anna, ben):
        browser.get(unit.step_url(unit.step_list[0].id))
        browser.csrf = browser.cookies[settings.CSRF_COOKIE_NAME].value
    assert post(anna, reflection_url, {"text": "Nur für Anna"}).status_code == 200
    assert post(ben, base(unit, unit.step_list[0]) + "viewed", {}).status_code == 200
    assert anna.cookies[COOKIE_NAME].value != ben.cookies[COOKIE_NAME].value
    anna_view = anna.get(f"/api/learning/units/{unit.pk}/progress").json()
    ben_view = ben.get(f"/api/learning/units/{unit.pk}/progress").json()
    assert list(anna_view["reflections"].values()) == ["Nur für Anna"]
    assert ben_view["reflections"] == {}
    assert "Nur für Anna" not in json.dumps(ben_view)
