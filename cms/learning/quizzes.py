"""Quiz scoring: pure functions over ``structure.Quiz``; progress.py stores the outcome."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .structure import Quiz


class InvalidAnswerError(ValueError):
    """The submitted answers do not fit the quiz (unknown ids, several for single choice)."""


@dataclass(frozen=True)
class QuizResult:
    answers: dict[str, list[str]]
    results: dict[str, bool]
    score: int  # percent of questions answered correctly
    passed: bool


def clean_answers(quiz: Quiz, answers: dict[str, list[str]]) -> dict[str, list[str]]:
    """Answers keyed by question id, each a sorted list of option ids; raises on bad ids.

    Unanswered questions are kept as empty lists (they count as wrong).
    """
    questions = {question.id: question for question in quiz.questions}
    unknown = set(answers) - set(questions)
    if unknown:
        raise InvalidAnswerError(
            _("This quiz has no question with the id %(id)s.") % {"id": sorted(unknown)[0]}
        )
    cleaned = {}
    for question in quiz.questions:
        chosen = sorted(set(answers.get(question.id) or []))
        option_ids = {option.id for option in question.options}
        if set(chosen) - option_ids:
            raise InvalidAnswerError(_("An answer does not belong to this question."))
        if not question.is_multiple and len(chosen) > 1:
            raise InvalidAnswerError(_("Choose only one answer for this question."))
        cleaned[question.id] = chosen
    return cleaned


def score_quiz(quiz: Quiz, answers: dict[str, list[str]]) -> QuizResult:
    """A question is correct when exactly its correct options were chosen."""
    cleaned = clean_answers(quiz, answers)
    results = {
        question.id: frozenset(cleaned[question.id]) == question.correct_ids
        for question in quiz.questions
    }
    total = len(quiz.questions)
    score = round(100 * sum(results.values()) / total) if total else 100
    return QuizResult(
        answers=cleaned, results=results, score=score, passed=score >= quiz.pass_threshold
    )
