"""Completion rules, quiz scoring and the merge of anonymous progress into an account."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.learning import progress
from cms.learning.models import (
    ChecklistItemState,
    Learner,
    QuizAttempt,
    ReflectionAnswer,
    StepProgress,
    StepStatus,
    UnitProgress,
)
from cms.learning.quizzes import InvalidAnswerError, score_quiz

from .factories import make_unit, question, quiz, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    return Learner.objects.create(token_hash="a" * 64)


def status(learner, unit, step):
    return StepProgress.objects.get(learner=learner, unit=unit, step_id=step.id).status


def unit_done(learner, unit):
    return UnitProgress.objects.get(learner=learner, unit=unit).completed_at is not None


def the_quiz(unit):
    quiz_step = unit.step_list[2]
    return quiz_step, next(iter(quiz_step.quizzes.values()))


def answer(quiz_, correct: bool):
    q = quiz_.questions[0]
    option = next(o for o in q.options if o.correct is correct)
    return {q.id: [option.id]}


def test_viewed_step_is_complete_on_first_view(learner, unit):
    first = unit.step_list[0]
    progress.record_step_view(learner, unit, first)
    assert status(learner, unit, first) == StepStatus.COMPLETED


def test_marked_done_step_needs_the_learner_to_mark_it(learner, unit):
    done_step = unit.step_list[1]
    progress.record_step_view(learner, unit, done_step)
    assert status(learner, unit, done_step) == StepStatus.STARTED
    progress.mark_step_done(learner, unit, done_step)
    assert status(learner, unit, done_step) == StepStatus.COMPLETED


def test_quiz_step_completes_only_when_the_quiz_is_passed(learner, unit):
    quiz_step, quiz_ = the_quiz(unit)
    progress.record_step_view(learner, unit, quiz_step)
    attempt = progress.submit_quiz(learner, unit, quiz_step, quiz_, answer(quiz_, False))
    assert (attempt.passed, attempt.score) == (False, 0)
    assert status(learner, unit, quiz_step) == StepStatus.STARTED
    attempt = progress.submit_quiz(learner, unit, quiz_step, quiz_, answer(quiz_, True))
    assert (attempt.passed, attempt.score) == (True, 100)
    assert status(learner, unit, quiz_step) == StepStatus.COMPLETED


def test_a_failed_retry_does_not_take_a_pass_back(learner, unit):
    quiz_step, quiz_ = the_quiz(unit)
    progress.submit_quiz(learner, unit, quiz_step, quiz_, answer(quiz_, True))
    progress.submit_quiz(learner, unit, quiz_step, quiz_, answer(quiz_, False))
    assert status(learner, unit, quiz_step) == StepStatus.COMPLETED


def test_time_spent_counts_the_time_until_the_next_request(learner, unit):
    time_step = unit.step_list[3]
    start = timezone.now()
    progress.record_step_view(learner, unit, time_step, now=start)
    progress.record_unit_visit(learner, unit, now=start + timedelta(seconds=30))
    assert status(learner, unit, time_step) == StepStatus.STARTED
    progress.record_step_view(learner, unit, time_step, now=start + timedelta(seconds=61))
    row = StepProgress.objects.get(learner=learner, step_id=time_step.id)
    assert row.seconds_spent == 61
    assert row.status == StepStatus.COMPLETED


def test_a_long_absence_does_not_count_as_time_on_the_step(learner, unit):
    time_step = unit.step_list[3]
    start = timezone.now()
    progress.record_step_view(learner, unit, time_step, now=start)
    progress.record_unit_visit(learner, unit, now=start + timedelta(hours=3))
    row = StepProgress.objects.get(learner=learner, step_id=time_step.id)
    assert row.seconds_spent == 0


def test_unit_is_complete_when_all_required_steps_are(learner, catalogue, levels):
    unit = make_unit(
        catalogue,
        [
            step("Eins"),
            step("Zwei", completion="marked_done"),
            step("Extra", optional=True, completion="marked_done"),
        ],
        level_min=levels[0],
        slug="kurz",
    )
    one, two, _extra = unit.step_list
    progress.record_step_view(learner, unit, one)
    progress.record_step_view(learner, unit, two)
    assert not unit_done(learner, unit)
    progress.mark_step_done(learner, unit, two)
    assert unit_done(learner, unit)


def test_quiz_scoring_needs_exactly_the_right_options_for_multiple_choice():
    from cms.learning.blocks import QuizBlock
    from cms.learning.structure import build_quiz

    raw = quiz(
        [
            question(
                "Was gehört in ein Social-Media-Konzept?",
                [
                    ("Ziele", True, "Ja."),
                    ("Zielgruppe", True, "Ja."),
                    ("Horoskop", False, "Nein."),
                ],
                kind="multiple",
            ),
            question("2 + 2?", [("4", True, ""), ("5", False, "")]),
        ],
        pass_threshold=50,
    )
    block = QuizBlock()
    value = block.to_python(raw["value"])
    quiz_ = build_quiz(raw["id"], value)
    multi, single = quiz_.questions
    ids = {o.text: o.id for o in multi.options}
    four = next(o.id for o in single.options if o.text == "4")

    only_one_right = score_quiz(quiz_, {multi.id: [ids["Ziele"]], single.id: [four]})
    assert only_one_right.results == {multi.id: False, single.id: True}
    assert (only_one_right.score, only_one_right.passed) == (50, True)

    all_right = score_quiz(quiz_, {multi.id: [ids["Ziele"], ids["Zielgruppe"]], single.id: [four]})
    assert all_right.score == 100

    with pytest.raises(InvalidAnswerError):
        score_quiz(quiz_, {single.id: [four, next(o.id for o in single.options if o.text == "5")]})
    with pytest.raises(InvalidAnswerError):
        score_quiz(quiz_, {single.id: [ids["Ziele"]]})


def test_attempts_run_out_when_limited(learner, catalogue, levels):
    unit = make_unit(
        catalogue,
        [step("Quiz", [quiz(max_attempts=1)], completion="quiz_passed")],
        level_min=levels[0],
        slug="ein-versuch",
    )
    quiz_step = unit.step_list[0]
    quiz_ = next(iter(quiz_step.quizzes.values()))
    progress.submit_quiz(learner, unit, quiz_step, quiz_, answer(quiz_, False))
    with pytest.raises(progress.AttemptsExhaustedError):
        progress.submit_quiz(learner, unit, quiz_step, quiz_, answer(quiz_, True))
    assert QuizAttempt.objects.filter(learner=learner).count() == 1


def test_merge_keeps_the_most_advanced_state_and_loses_nothing(unit):
    user = get_user_model().objects.create_user("lea@example.org", "lea@example.org", "pw")
    account = Learner.objects.create(user=user)
    anonymous = Learner.objects.create(token_hash="b" * 64)
    first, done_step, quiz_step, _time = unit.step_list
    checklist_ = next(iter(done_step.checklists.values()))
    reflection_id = next(iter(done_step.reflections))
    _q_step, quiz_ = the_quiz(unit)
    earlier = timezone.now() - timedelta(days=1)

    # The account got further in one place, the anonymous learner in others.
    progress.record_step_view(account, unit, done_step, now=earlier)
    progress.mark_step_done(account, unit, done_step, now=earlier)
    progress.save_reflection(account, unit, done_step, reflection_id, "alt", now=earlier)
    progress.set_checklist_item(
        account, unit, done_step, checklist_.id, checklist_.items[0][0], True
    )
    progress.record_step_view(anonymous, unit, done_step)
    progress.record_step_view(anonymous, unit, first)
    progress.submit_quiz(anonymous, unit, quiz_step, quiz_, answer(quiz_, True))
    progress.save_reflection(anonymous, unit, done_step, reflection_id, "neu")
    progress.set_checklist_item(
        anonymous, unit, done_step, checklist_.id, checklist_.items[0][0], False
    )
    progress.set_checklist_item(
        anonymous, unit, done_step, checklist_.id, checklist_.items[1][0], True
    )

    assert progress.attach_to_account(anonymous, user) == account
    assert not Learner.objects.filter(pk=anonymous.pk).exists()
    assert status(account, unit, done_step) == StepStatus.COMPLETED
    assert status(account, unit, first) == StepStatus.COMPLETED
    assert status(account, unit, quiz_step) == StepStatus.COMPLETED
    assert QuizAttempt.objects.filter(learner=account).count() == 1
    assert ReflectionAnswer.objects.get(learner=account).text == "neu"
    assert set(
        ChecklistItemState.objects.filter(learner=account, checked=True).values_list(
            "item_id", flat=True
        )
    ) == {checklist_.items[0][0], checklist_.items[1][0]}
    unit_row = UnitProgress.objects.get(learner=account, unit=unit)
    assert unit_row.started_at <= earlier + timedelta(seconds=1)
    assert unit_row.last_step_id == first.id


def test_first_login_turns_the_anonymous_learner_into_the_account(unit):
    user = get_user_model().objects.create_user("max@example.org", "max@example.org", "pw")
    anonymous = Learner.objects.create(token_hash="c" * 64)
    progress.record_step_view(anonymous, unit, unit.step_list[0])
    learner = progress.attach_to_account(anonymous, user)
    assert learner.pk == anonymous.pk and learner.user == user and learner.token_hash is None


def test_purge_deletes_only_stale_anonymous_learners(unit):
    user = get_user_model().objects.create_user("old@example.org", "old@example.org", "pw")
    old = timezone.now() - timedelta(days=400)
    stale = Learner.objects.create(token_hash="d" * 64)
    fresh = Learner.objects.create(token_hash="e" * 64)
    account = Learner.objects.create(user=user)
    Learner.objects.filter(pk__in=[stale.pk, account.pk]).update(last_seen_at=old)
    progress.record_step_view(stale, unit, unit.step_list[0])

    from cms.learning.tasks import purge_anonymous_learners_task

    assert purge_anonymous_learners_task() == 1
    assert set(Learner.objects.values_list("pk", flat=True)) == {fresh.pk, account.pk}
    assert not StepProgress.objects.filter(learner_id=stale.pk).exists()


def test_purge_runs_daily_from_celery_beat(settings):
    from cms.celery import app

    app.loader.import_default_modules()
    schedule = {entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["learning.purge_anonymous_learners_task"]["schedule"] == 24 * 60 * 60
    assert "learning.purge_anonymous_learners_task" in app.tasks
