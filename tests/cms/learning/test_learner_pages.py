"""The no-JavaScript flow: forms post to the page, redirect back, feedback from stored state."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cms.learning.learners import COOKIE_NAME
from cms.learning.models import Learner, ReflectionAnswer, StepProgress, StepStatus

pytestmark = pytest.mark.django_db


def action(unit, name, step, block_id=None):
    args = [step.id] if block_id is None else [step.id, block_id]
    return unit.url + unit.reverse_subpage(name, args=args)


def quiz_parts(unit):
    quiz_step = unit.step_list[2]
    quiz_ = next(iter(quiz_step.quizzes.values()))
    question = quiz_.questions[0]
    right = next(o for o in question.options if o.correct)
    wrong = next(o for o in question.options if not o.correct)
    return quiz_step, quiz_, question, right, wrong


def save_progress(client, unit, step):
    """The visitor's first write: "Save my progress" on a step they read."""
    return client.post(action(unit, "step_viewed", step))


def test_first_write_sets_a_private_first_party_cookie(client, unit):
    response = save_progress(client, unit, unit.step_list[0])
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert len(cookie.value) >= 40
    # Only a hash is stored: the token itself is nowhere in the database.
    assert not Learner.objects.filter(token_hash=cookie.value).exists()
    assert Learner.objects.count() == 1


def test_catalogue_visit_alone_stores_nothing(client, catalogue, unit):
    response = client.get(catalogue.url)
    assert response.status_code == 200
    assert COOKIE_NAME not in response.cookies
    assert Learner.objects.count() == 0


def test_quiz_wrong_then_right_shows_feedback_and_explanation(client, unit):
    quiz_step, quiz_, question, right, wrong = quiz_parts(unit)
    client.get(unit.step_url(quiz_step.id))
    response = client.post(
        action(unit, "quiz", quiz_step, quiz_.id), {f"q-{question.id}": wrong.id}, follow=True
    )
    html = response.content.decode()
    assert "Eher nicht für Fachkräfte." in html  # the chosen option's feedback
    assert "Weil es so ist." not in html  # explanation waits for a right answer
    assert "Not passed yet" in html or "Noch nicht bestanden" in html
    response = client.post(
        action(unit, "quiz", quiz_step, quiz_.id), {f"q-{question.id}": right.id}, follow=True
    )
    html = response.content.decode()
    assert "Genau: dort sind Fachkräfte." in html
    assert "Weil es so ist." in html
    assert StepProgress.objects.get(step_id=quiz_step.id).status == StepStatus.COMPLETED


def test_bad_quiz_answer_is_a_message_not_an_error(client, unit):
    quiz_step, quiz_, question, _right, _wrong = quiz_parts(unit)
    response = client.post(
        action(unit, "quiz", quiz_step, quiz_.id), {f"q-{question.id}": "nonsense"}, follow=True
    )
    assert response.status_code == 200
    assert 'class="notice notice--error"' in response.content.decode()


def test_checklist_reflection_and_mark_done_by_form(client, unit):
    done_step = unit.step_list[1]
    checklist_ = next(iter(done_step.checklists.values()))
    reflection_id = next(iter(done_step.reflections))
    first_item = checklist_.items[0][0]
    client.post(action(unit, "checklist", done_step, checklist_.id), {"item": [first_item]})
    client.post(action(unit, "reflection", done_step, reflection_id), {"text": "Mein Plan"})
    response = client.post(action(unit, "step_done", done_step))
    assert response.status_code == 302
    html = client.get(unit.step_url(done_step.id)).content.decode()
    assert f'id="item-{first_item}" checked' in html
    assert "Mein Plan" in html
    assert StepProgress.objects.get(step_id=done_step.id).status == StepStatus.COMPLETED


def test_get_on_an_action_is_not_allowed(client, unit):
    assert client.get(action(unit, "step_done", unit.step_list[1])).status_code == 405


def test_too_long_reflection_is_refused_with_a_message(client, unit):
    done_step = unit.step_list[1]
    reflection_id = next(iter(done_step.reflections))
    response = client.post(
        action(unit, "reflection", done_step, reflection_id), {"text": "x" * 10_001}, follow=True
    )
    assert response.status_code == 200
    assert not ReflectionAnswer.objects.exists()


def test_resume_offers_the_last_visited_step(client, catalogue, unit):
    third = unit.step_list[2]
    save_progress(client, unit, unit.step_list[0])
    client.get(unit.step_url(third.id))
    overview = client.get(unit.url).content.decode()
    assert unit.step_url(third.id) in overview
    listing = client.get(catalogue.url).content.decode()
    assert unit.step_url(third.id) in listing
    assert third.title in listing


def test_two_learners_never_see_each_others_data(catalogue, unit):
    anna, ben = Client(), Client()
    done_step = unit.step_list[1]
    reflection_id = next(iter(done_step.reflections))
    anna.get(unit.step_url(done_step.id))
    anna.post(action(unit, "reflection", done_step, reflection_id), {"text": "Annas Geheimnis"})
    save_progress(ben, unit, unit.step_list[0])

    assert "Annas Geheimnis" not in ben.get(unit.step_url(done_step.id)).content.decode()
    export = json.loads(ben.get(catalogue.url + "my-data/export/").content)
    assert "Annas Geheimnis" not in json.dumps(export)
    assert [row["step_id"] for row in export["steps"]] != []
    progress_page = ben.get(catalogue.url + "my-progress/").content.decode()
    assert "Annas Geheimnis" not in progress_page
    # A forged cookie finds nobody.
    stranger = Client()
    stranger.cookies[COOKIE_NAME] = "x" * 43
    assert json.loads(stranger.get(catalogue.url + "my-data/export/").content) == {"learner": None}


def test_export_contains_everything_and_delete_removes_it(client, catalogue, unit):
    done_step = unit.step_list[1]
    reflection_id = next(iter(done_step.reflections))
    save_progress(client, unit, done_step)
    client.post(action(unit, "reflection", done_step, reflection_id), {"text": "Notiz"})
    response = client.get(catalogue.url + "my-data/export/")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["reflections"][0]["text"] == "Notiz"
    assert data["units"][0]["unit"] == unit.title

    refused = client.post(catalogue.url + "my-data/", follow=True)
    assert Learner.objects.count() == 1 and refused.status_code == 200
    response = client.post(catalogue.url + "my-data/", {"confirm": "yes"})
    assert response.status_code == 302
    assert response.cookies[COOKIE_NAME].value == ""
    assert Learner.objects.count() == 0
    assert not ReflectionAnswer.objects.exists()


def test_login_merges_into_the_existing_account(client, catalogue, unit):
    user = get_user_model().objects.create_user(
        "max@example.org", "max@example.org", "Geheim-123!"
    )
    account = Learner.objects.create(user=user)
    save_progress(client, unit, unit.step_list[0])
    response = client.post(
        catalogue.url + "login/", {"username": "max@example.org", "password": "Geheim-123!"}
    )
    assert response.status_code == 302
    assert list(Learner.objects.values_list("pk", flat=True)) == [account.pk]
    assert StepProgress.objects.get().learner_id == account.pk


def test_sign_up_errors_are_shown_in_the_form(client, catalogue):
    response = client.post(
        catalogue.url + "signup/", {"email": "kein-mail", "password1": "1", "password2": "2"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="field-error" id="id_email-error">' in html
    assert 'aria-describedby="id_email-error"' in html
    assert 'aria-invalid="true"' in html


def test_delete_with_account_removes_the_account_too(client, catalogue, unit):
    user = get_user_model().objects.create_user(
        "del@example.org", "del@example.org", "Geheim-123!"
    )
    client.force_login(user)
    client.get(unit.step_url(unit.step_list[0].id))
    client.post(catalogue.url + "my-data/", {"confirm": "yes", "delete_account": "yes"})
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert Learner.objects.count() == 0


def test_cookie_is_secure_where_the_session_cookie_is(client, unit, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = save_progress(client, unit, unit.step_list[0])
    assert response.cookies[COOKIE_NAME]["secure"]
