"""“Project ended” mode (cms/core/project_state.py): a banner, no new learner data, but
existing learners keep their export and delete."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Site

from cms.core.models import SiteSettings
from cms.learning.learners import COOKIE_NAME
from cms.learning.models import Learner, QuizAttempt, ReflectionAnswer, StepProgress

from .test_learner_pages import action, quiz_parts, save_progress

pytestmark = pytest.mark.django_db

ENDED_ON = datetime.date(2026, 2, 28)


def end_project(on=ENDED_ON):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.project_ended_on = on
    settings.save()


def test_the_banner_says_when_the_project_ended_in_the_page_language(client, home_pages):
    home, english = home_pages
    assert 'id="project-ended-heading"' not in client.get(home.url).content.decode()

    end_project()
    german = client.get(home.url).content.decode()
    assert 'role="status"' in german
    assert "Das Projekt wurde am 28. Februar 2026 beendet." in german
    english_html = client.get(english.url).content.decode()
    assert "The project ended on Feb. 28, 2026." in english_html


def test_a_date_in_the_future_changes_nothing_yet(client, home_pages, unit):
    end_project(timezone.localdate() + datetime.timedelta(days=1))
    assert 'id="project-ended-heading"' not in client.get(home_pages[0].url).content.decode()
    assert save_progress(client, unit, unit.step_list[0]).status_code == 302
    assert Learner.objects.count() == 1


def test_progress_quiz_and_reflection_are_refused_and_store_nothing(client, unit):
    end_project()
    quiz_step, quiz_, question, right, _wrong = quiz_parts(unit)
    done_step = unit.step_list[1]
    reflection_id = next(iter(done_step.reflections))
    step_page = client.get(unit.step_url(done_step.id)).content.decode()
    assert "Das Projekt ist beendet: Dies kann nicht mehr gespeichert werden." in step_page
    assert "Schritt als erledigt markieren" not in step_page

    refused = [
        save_progress(client, unit, unit.step_list[0]),
        client.post(action(unit, "step_done", done_step)),
        client.post(action(unit, "reflection", done_step, reflection_id), {"text": "Notiz"}),
        client.post(action(unit, "quiz", quiz_step, quiz_.id), {f"q-{question.id}": right.id}),
    ]
    for response in refused:
        assert response.status_code == 403
        assert "Es wurde nichts gespeichert" in response.content.decode()
        assert COOKIE_NAME not in response.cookies
    assert not Learner.objects.exists()
    assert not StepProgress.objects.exists() and not QuizAttempt.objects.exists()


def test_the_progress_api_refuses_with_a_readable_detail(client, unit):
    end_project()
    first = unit.step_list[0]
    response = client.post(
        f"/api/learning/units/{unit.pk}/steps/{first.id}/done",
        "{}",
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "Projekt" in response.json()["detail"]
    assert not Learner.objects.exists()


def test_sign_up_shows_the_note_and_a_post_creates_no_account(client, catalogue):
    end_project()
    page = client.get(catalogue.url + "signup/").content.decode()
    assert "Dies kann nicht mehr gespeichert werden" in page
    assert 'name="password1"' not in page
    password = "Lernen-im-Betrieb-7"
    response = client.post(
        catalogue.url + "signup/",
        {"email": "neu@example.org", "password1": password, "password2": password},
    )
    assert response.status_code == 403
    assert not get_user_model().objects.exists()


def test_existing_learners_still_see_export_and_delete_their_data(client, catalogue, unit):
    done_step = unit.step_list[1]
    reflection_id = next(iter(done_step.reflections))
    save_progress(client, unit, done_step)
    client.post(action(unit, "reflection", done_step, reflection_id), {"text": "Notiz"})
    end_project()

    step_page = client.get(unit.step_url(done_step.id)).content.decode()
    assert "Notiz" in step_page  # the saved answer is still shown, read-only
    assert "readonly" in step_page
    export = client.get(catalogue.url + "my-data/export/")
    assert export.status_code == 200
    assert json.loads(export.content)["reflections"][0]["text"] == "Notiz"

    response = client.post(catalogue.url + "my-data/", {"confirm": "yes"})
    assert response.status_code == 302
    assert not Learner.objects.exists() and not ReflectionAnswer.objects.exists()


def test_an_account_holder_logs_in_and_deletes_the_account(client, catalogue, unit):
    user = get_user_model().objects.create_user(
        "max@example.org", "max@example.org", "Geheim-123!"
    )
    Learner.objects.create(user=user)
    end_project()
    response = client.post(
        catalogue.url + "login/", {"username": "max@example.org", "password": "Geheim-123!"}
    )
    assert response.status_code == 302
    client.post(catalogue.url + "my-data/", {"confirm": "yes", "delete_account": "yes"})
    assert not get_user_model().objects.exists() and not Learner.objects.exists()
