"""A published questionnaire is frozen: editing creates a new version, old results stay."""

import pytest

from cms.digitalcheck.models import QuestionnaireVersion
from cms.digitalcheck.submissions import result_of, start_submission, submit

from .factories import dimension, snapshot_ids

pytestmark = pytest.mark.django_db


def answered(page, values):
    submission = start_submission(page, learner=None)
    questions, _topics = snapshot_ids(page)
    flat = [qid for ids in questions for qid in ids]
    submission.answers = {"questions": dict(zip(flat, values, strict=True)), "topics": {}}
    submission.save()
    return submit(submission, page.locale)


def test_first_publish_freezes_version_one(check_page):
    version = check_page.get_current_version()
    assert version.number == 1
    titles = [d["title"] for d in version.snapshot["dimensions"]]
    assert titles == ["Digitale Geschäftsstrategie", "Automatisierung und KI"]
    assert [t["name"] for t in version.snapshot["topics"]][0] == "Online-Marketing"


def test_publishing_unchanged_content_adds_no_version(check_page):
    check_page.save_revision().publish()
    assert QuestionnaireVersion.objects.filter(page=check_page).count() == 1


def test_a_draft_edit_does_not_change_the_live_version(check_page):
    check_page.dimensions = [dimension("Neu", ["Neue Frage?"])]
    check_page.save_revision()  # saved, not published
    assert check_page.get_current_version().number == 1


def test_editing_a_published_questionnaire_keeps_old_results(check_page):
    old = answered(check_page, [3, 4, 5])
    old_scores = result_of(old)
    assert old_scores.overall == 85.0

    page = check_page.specific
    page.dimensions = [dimension("Digitale Geschäftsstrategie", ["Eine ganz andere Frage?"])]
    page.save_revision().publish()

    assert page.get_current_version().number == 2
    new = answered(page, [1])
    assert new.version.number == 2 and result_of(new).overall == 20.0
    old.refresh_from_db()
    assert old.version.number == 1
    again = result_of(old)
    assert again.overall == 85.0 and [d.score for d in again.dimensions] == [70.0, 100.0]
    assert [d.title for d in again.dimensions][1] == "Automatisierung und KI"
    assert old.scores["overall"] == 85.0


def test_result_page_of_an_old_submission_shows_its_own_questions(client, check_page):
    old = answered(check_page, [3, 4, 5])
    page = check_page.specific
    page.dimensions = [dimension("Ganz neu", ["Frage?"])]
    page.save_revision().publish()
    html = client.get(page.url + page.reverse_subpage("result", args=[old.token])).content.decode()
    assert "Automatisierung und KI" in html and "Ganz neu" not in html
