"""Learner progress services: the only code that writes learner data.

Pages (no-JS form posts), the JSON API and the account merge all call these functions.
Steps come in as ``structure.Step`` (already resolved, so an unknown step is the caller's
404); each service re-evaluates the step's completion rule and then the unit's.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .blocks import CompletionRule
from .models import (
    ChecklistItemState,
    Learner,
    QuizAttempt,
    ReflectionAnswer,
    StepProgress,
    StepStatus,
    UnitProgress,
)
from .quizzes import score_quiz
from .signals import learner_merged
from .structure import Quiz, Step

# Time between two requests of the same learner in a unit counts as time on the step they
# were on, up to this gap; a longer gap means they left and is not counted at all.
MAX_COUNTED_GAP = timedelta(minutes=30)
MAX_REFLECTION_LENGTH = 10_000


class AttemptsExhaustedError(Exception):
    """No quiz attempts are left."""


# --- reading helpers used by the services -----------------------------------------------


def attempts_left(learner: Learner | None, unit, quiz: Quiz) -> int | None:
    """None for unlimited attempts."""
    if not quiz.max_attempts:
        return None
    used = 0
    if learner is not None:
        used = QuizAttempt.objects.filter(learner=learner, unit=unit, quiz_id=quiz.id).count()
    return max(quiz.max_attempts - used, 0)


# --- services ----------------------------------------------------------------------------


@transaction.atomic
def record_step_view(learner: Learner, unit, step: Step, now=None) -> StepProgress:
    """The learner opened ``step``: remember it for resuming, credit the time on the step
    they came from, and complete "viewed" steps."""
    now = now or timezone.now()
    unit_progress, created = UnitProgress.objects.select_for_update().get_or_create(
        learner=learner,
        unit=unit,
        defaults={"last_step_id": step.id, "started_at": now, "last_visited_at": now},
    )
    if not created:
        _credit_time(learner, unit, unit_progress, now)
        unit_progress.last_step_id = step.id
        unit_progress.last_visited_at = now
        unit_progress.save(update_fields=["last_step_id", "last_visited_at"])
    row, row_created = StepProgress.objects.get_or_create(
        learner=learner,
        unit=unit,
        step_id=step.id,
        defaults={"first_viewed_at": now, "last_viewed_at": now},
    )
    if not row_created:
        row.last_viewed_at = now
        row.save(update_fields=["last_viewed_at"])
    _evaluate(learner, unit, step, row, now)
    return row


@transaction.atomic
def record_unit_visit(learner: Learner, unit, now=None) -> None:
    """The learner opened the unit overview: credit time on the step they came from."""
    now = now or timezone.now()
    unit_progress = UnitProgress.objects.filter(learner=learner, unit=unit).first()
    if unit_progress is not None:
        _credit_time(learner, unit, unit_progress, now)
        unit_progress.last_visited_at = now
        unit_progress.save(update_fields=["last_visited_at"])


@transaction.atomic
def mark_step_done(learner: Learner, unit, step: Step, now=None) -> StepProgress:
    now = now or timezone.now()
    row = _step_row(learner, unit, step, now)
    row.marked_done = True
    row.save(update_fields=["marked_done"])
    _evaluate(learner, unit, step, row, now)
    return row


@transaction.atomic
def submit_quiz(learner: Learner, unit, step: Step, quiz: Quiz, answers, now=None):
    """Score and store one attempt; raises ``InvalidAnswerError`` or
    ``AttemptsExhaustedError`` without storing anything."""
    now = now or timezone.now()
    result = score_quiz(quiz, answers)
    # Parallel posts of one learner would all count the same attempts and all be stored:
    # the learner's row lock makes them take turns (SQLite lets one writer in anyway).
    Learner.objects.select_for_update().filter(pk=learner.pk).first()
    left = attempts_left(learner, unit, quiz)
    if left is not None and left <= 0:
        raise AttemptsExhaustedError
    attempt = QuizAttempt.objects.create(
        learner=learner,
        unit=unit,
        step_id=step.id,
        quiz_id=quiz.id,
        answers=result.answers,
        results=result.results,
        score=result.score,
        passed=result.passed,
    )
    row = _step_row(learner, unit, step, now)
    _evaluate(learner, unit, step, row, now)
    return attempt


@transaction.atomic
def set_checklist_item(learner: Learner, unit, step: Step, checklist_id, item_id, checked):
    ChecklistItemState.objects.update_or_create(
        learner=learner,
        unit=unit,
        checklist_id=checklist_id,
        item_id=item_id,
        defaults={"step_id": step.id, "checked": bool(checked)},
    )


@transaction.atomic
def set_checklist(learner: Learner, unit, step: Step, checklist, checked_ids) -> None:
    """Save a whole checklist form: items in ``checked_ids`` ticked, the others not."""
    checked_ids = set(checked_ids)
    for item_id, _text in checklist.items:
        set_checklist_item(learner, unit, step, checklist.id, item_id, item_id in checked_ids)


@transaction.atomic
def save_reflection(learner: Learner, unit, step: Step, reflection_id, text, now=None):
    now = now or timezone.now()
    text = (text or "").strip()[:MAX_REFLECTION_LENGTH]
    if not text:
        ReflectionAnswer.objects.filter(
            learner=learner, unit=unit, reflection_id=reflection_id
        ).delete()
        return None
    answer, _created = ReflectionAnswer.objects.update_or_create(
        learner=learner,
        unit=unit,
        reflection_id=reflection_id,
        defaults={"step_id": step.id, "text": text, "updated_at": now},
    )
    return answer


@transaction.atomic
def merge_learners(source: Learner, target: Learner) -> None:
    """Move everything of ``source`` into ``target`` and delete ``source``.

    Nothing is lost: where both have a row, the most advanced state wins (completed over
    started, more time, ticked over unticked, the later reflection); quiz attempts are all
    kept.
    """
    if source.pk == target.pk:
        return
    _merge_rows(UnitProgress, source, target, ("unit_id",), _merge_unit)
    _merge_rows(StepProgress, source, target, ("unit_id", "step_id"), _merge_step)
    QuizAttempt.objects.filter(learner=source).update(learner=target)
    _merge_rows(
        ChecklistItemState,
        source,
        target,
        ("unit_id", "checklist_id", "item_id"),
        _merge_checklist_item,
    )
    _merge_rows(ReflectionAnswer, source, target, ("unit_id", "reflection_id"), _merge_reflection)
    learner_merged.send(sender=Learner, source=source, target=target)
    source.delete()


@transaction.atomic
def attach_to_account(anonymous: Learner | None, user) -> Learner | None:
    """On login or sign-up: the anonymous learner's data goes into the account's learner."""
    if anonymous is None:
        return Learner.objects.filter(user=user).first()
    account = Learner.objects.filter(user=user).first()
    if account is None:
        anonymous.user = user
        anonymous.token_hash = None
        anonymous.save(update_fields=["user", "token_hash"])
        return anonymous
    merge_learners(anonymous, account)
    return account


def delete_learner(learner: Learner) -> None:
    """Delete the learner and, by cascade, all their progress, answers and reflections."""
    learner.delete()


def purge_anonymous_learners(retention_days: int, now=None) -> int:
    """Delete anonymous learners not seen for ``retention_days``; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days)
    stale = Learner.objects.filter(user=None, last_seen_at__lt=cutoff)
    count = stale.count()
    stale.delete()
    return count


# --- internals ---------------------------------------------------------------------------


def _merge_rows(model, source: Learner, target: Learner, key: tuple[str, ...], combine) -> None:
    """Move ``source``'s rows of ``model`` to ``target``. Where ``target`` already has a row
    with the same ``key``, ``combine(theirs, mine)`` folds the source row into it and says
    whether it changed; the source row then goes with the source learner."""
    existing = {tuple(getattr(r, f) for f in key): r for r in model.objects.filter(learner=target)}
    moved = []
    for row in model.objects.filter(learner=source):
        other = existing.get(tuple(getattr(row, f) for f in key))
        if other is None:
            moved.append(row.pk)
        elif combine(other, row):
            other.save()
    model.objects.filter(pk__in=moved).update(learner=target)


def _merge_unit(other: UnitProgress, row: UnitProgress) -> bool:
    other.started_at = min(other.started_at, row.started_at)
    if row.last_visited_at > other.last_visited_at:
        other.last_visited_at = row.last_visited_at
        other.last_step_id = row.last_step_id
    other.completed_at = _earliest(other.completed_at, row.completed_at)
    return True


def _merge_step(other: StepProgress, row: StepProgress) -> bool:
    if row.status == StepStatus.COMPLETED:
        other.status = StepStatus.COMPLETED
    other.seconds_spent = max(other.seconds_spent, row.seconds_spent)
    other.marked_done = other.marked_done or row.marked_done
    other.first_viewed_at = min(other.first_viewed_at, row.first_viewed_at)
    other.last_viewed_at = max(other.last_viewed_at, row.last_viewed_at)
    other.completed_at = _earliest(other.completed_at, row.completed_at)
    return True


def _merge_checklist_item(other: ChecklistItemState, row: ChecklistItemState) -> bool:
    if row.checked and not other.checked:
        other.checked = True
        return True
    return False


def _merge_reflection(other: ReflectionAnswer, row: ReflectionAnswer) -> bool:
    if row.updated_at > other.updated_at:
        other.text, other.updated_at = row.text, row.updated_at
        return True
    return False


def _earliest(a, b):
    values = [value for value in (a, b) if value is not None]
    return min(values) if values else None


def _step_row(learner, unit, step: Step, now) -> StepProgress:
    UnitProgress.objects.get_or_create(
        learner=learner,
        unit=unit,
        defaults={"last_step_id": step.id, "started_at": now, "last_visited_at": now},
    )
    row, _created = StepProgress.objects.get_or_create(
        learner=learner,
        unit=unit,
        step_id=step.id,
        defaults={"first_viewed_at": now, "last_viewed_at": now},
    )
    return row


def _credit_time(learner, unit, unit_progress: UnitProgress, now) -> None:
    gap = now - unit_progress.last_visited_at
    if not unit_progress.last_step_id or gap <= timedelta(0) or gap > MAX_COUNTED_GAP:
        return
    row = StepProgress.objects.filter(
        learner=learner, unit=unit, step_id=unit_progress.last_step_id
    ).first()
    if row is None:
        return
    row.seconds_spent += int(gap.total_seconds())
    row.save(update_fields=["seconds_spent"])
    step = unit.get_step(row.step_id)
    if step is not None:
        _evaluate(learner, unit, step, row, now)


def is_step_complete(step: Step, row: StepProgress, passed_quiz_ids) -> bool:
    rule = step.rule
    if rule == CompletionRule.VIEWED:
        return True
    if rule == CompletionRule.TIME_SPENT:
        return row.seconds_spent >= step.minimum_seconds
    if rule == CompletionRule.MARKED_DONE:
        return row.marked_done
    if rule == CompletionRule.QUIZ_PASSED:
        return bool(step.quizzes) and set(step.quizzes) <= set(passed_quiz_ids)
    return False


def _evaluate(learner, unit, step: Step, row: StepProgress, now) -> None:
    if row.status == StepStatus.COMPLETED:
        return  # completion is never taken back (a later failed retry keeps the pass)
    passed = set()
    if step.rule == CompletionRule.QUIZ_PASSED:
        passed = set(
            QuizAttempt.objects.filter(
                learner=learner, unit=unit, quiz_id__in=list(step.quizzes), passed=True
            ).values_list("quiz_id", flat=True)
        )
    if not is_step_complete(step, row, passed):
        return
    row.status = StepStatus.COMPLETED
    row.completed_at = now
    row.save(update_fields=["status", "completed_at"])
    _evaluate_unit(learner, unit, now)


def _evaluate_unit(learner, unit, now) -> None:
    required = {step.id for step in unit.step_list if step.required}
    completed = set(
        StepProgress.objects.filter(
            learner=learner, unit=unit, status=StepStatus.COMPLETED
        ).values_list("step_id", flat=True)
    )
    if required <= completed:
        UnitProgress.objects.filter(learner=learner, unit=unit, completed_at=None).update(
            completed_at=now
        )
