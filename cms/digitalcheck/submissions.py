"""Services of the Digital-Check: start, save a step, submit. The only writers of
``Submission``."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .forms import CheckStep
from .models import DigitalCheckPage, Submission, SubmissionStatus
from .recommendations import recommend
from .scoring import CheckResult, score_check


class NoQuestionnaireError(Exception):
    """The check has no published questionnaire version yet."""


def start_submission(page: DigitalCheckPage, learner, token_hash="", previous=None) -> Submission:
    """A new draft on the current version; a retake starts from the previous answers."""
    version = page.get_current_version()
    if version is None:
        raise NoQuestionnaireError
    fields = {}
    if previous is not None:
        fields = {
            "answers": previous.answers,
            "sector": previous.sector,
            "size_band": previous.size_band,
            "region": previous.region,
        }
    return Submission.objects.create(
        version=version,
        learner=learner,
        learner_token_hash=token_hash,
        previous=previous,
        **fields,
    )


def save_step(submission: Submission, step: CheckStep, values: dict, reached: int) -> None:
    """Store the given (already validated) values of one step; remember how far they got."""
    answers = {"questions": {}, "topics": {}, **submission.answers}
    if step.kind == "context":
        for name in ("sector", "size_band", "region"):
            if name in values:
                setattr(submission, name, values[name] or "")
    elif step.kind == "dimension":
        questions = dict(answers["questions"])
        for name, value in values.items():
            questions[name.removeprefix("q-")] = value
        answers["questions"] = questions
    else:
        topics = {key: dict(value) for key, value in answers["topics"].items()}
        for name, value in values.items():
            kind, topic_id = name.split("-", 1)
            key = "implementation" if kind == "impl" else "relevance"
            topics.setdefault(topic_id, {})[key] = value
        answers["topics"] = topics
    submission.answers = answers
    submission.current_step = max(submission.current_step, reached)
    submission.save()


def result_of(submission: Submission) -> CheckResult:
    return score_check(submission.version.snapshot, submission.answers)


@transaction.atomic
def submit(submission: Submission, locale) -> Submission:
    """Score the draft with its own version and keep what was recommended (for the
    dashboard's "then started" figures)."""
    if submission.is_submitted:
        return submission
    result = result_of(submission)
    units, _paths = recommend(result, locale)
    submission.scores = result.as_json()
    submission.recommended_unit_ids = [rec.page.pk for rec in units]
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.save()
    return submission


def find_draft(page: DigitalCheckPage, learner) -> Submission | None:
    if learner is None:
        return None
    return (
        Submission.objects.filter(
            version__page=page, learner=learner, status=SubmissionStatus.DRAFT
        )
        .select_related("version")
        .order_by("-updated_at")
        .first()
    )


def latest_result(page: DigitalCheckPage, learner) -> Submission | None:
    if learner is None:
        return None
    return (
        Submission.objects.filter(
            version__page=page, learner=learner, status=SubmissionStatus.SUBMITTED
        )
        .order_by("-submitted_at")
        .first()
    )
