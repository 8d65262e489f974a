"""The editors' report per unit: aggregate numbers only, never a learner's identity."""

from __future__ import annotations

import io
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from cms.core.csv_export import SafeCSVWriter

from .models import QuizAttempt, StepProgress, StepStatus, UnitProgress


@dataclass
class StepRow:
    number: int
    title: str
    reached: int
    completed: int
    drop_off: int  # learners who reached this step but not the next one


@dataclass
class QuestionRow:
    quiz: str
    question: str
    answered: int
    correct_share: float | None  # 0..1 on the learners' first attempts


@dataclass
class UnitReport:
    started: int
    completed: int
    median_seconds: int | None
    steps: list[StepRow] = field(default_factory=list)
    questions: list[QuestionRow] = field(default_factory=list)

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.started if self.started else None


def build_unit_report(unit) -> UnitReport:
    totals = UnitProgress.objects.filter(unit=unit).aggregate(
        started=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False))
    )
    # Time of learners who completed: the sum of their seconds on the unit's steps.
    completed_ids = UnitProgress.objects.filter(unit=unit, completed_at__isnull=False).values(
        "learner_id"
    )
    times = [
        row["seconds"]
        for row in StepProgress.objects.filter(unit=unit, learner_id__in=completed_ids)
        .values("learner_id")
        .annotate(seconds=Sum("seconds_spent"))
    ]
    counts = {
        row["step_id"]: row
        for row in StepProgress.objects.filter(unit=unit)
        .values("step_id")
        .annotate(
            reached=Count("pk"), completed=Count("pk", filter=Q(status=StepStatus.COMPLETED))
        )
    }
    steps = unit.step_list
    rows = []
    for index, step in enumerate(steps):
        reached = counts.get(step.id, {}).get("reached", 0)
        following = (
            counts.get(steps[index + 1].id, {}).get("reached", 0)
            if index + 1 < len(steps)
            else reached
        )
        rows.append(
            StepRow(
                number=step.number,
                title=step.title,
                reached=reached,
                completed=counts.get(step.id, {}).get("completed", 0),
                drop_off=max(reached - following, 0),
            )
        )
    return UnitReport(
        started=totals["started"],
        completed=totals["completed"],
        median_seconds=round(statistics.median(times)) if times else None,
        steps=rows,
        questions=_question_rows(unit, steps),
    )


def _question_rows(unit, steps) -> list[QuestionRow]:
    first_attempts = {}
    for attempt in QuizAttempt.objects.filter(unit=unit).order_by("created_at", "pk"):
        first_attempts.setdefault((attempt.learner_id, attempt.quiz_id), attempt)
    rows = []
    for step in steps:
        for quiz in step.quizzes.values():
            attempts = [a for (_l, q), a in first_attempts.items() if q == quiz.id]
            for question in quiz.questions:
                results = [a.results[question.id] for a in attempts if question.id in a.results]
                rows.append(
                    QuestionRow(
                        quiz=quiz.title,
                        question=question.text,
                        answered=len(results),
                        correct_share=sum(results) / len(results) if results else None,
                    )
                )
    return rows


def report_csv(unit, report: UnitReport) -> str:
    out = io.StringIO()
    writer = SafeCSVWriter(out)
    rate = report.completion_rate
    writer.writerow([_("Unit"), unit.title])
    writer.writerow([_("Learners started"), report.started])
    writer.writerow([_("Learners completed"), report.completed])
    writer.writerow([_("Completion rate (%)"), "" if rate is None else round(100 * rate, 1)])
    writer.writerow([_("Median time (seconds)"), report.median_seconds or ""])
    writer.writerow([])
    writer.writerow([_("Step"), _("Title"), _("Reached"), _("Completed"), _("Drop-off")])
    for row in report.steps:
        writer.writerow([row.number, row.title, row.reached, row.completed, row.drop_off])
    writer.writerow([])
    writer.writerow([_("Quiz"), _("Question"), _("Answered"), _("Correct (%)")])
    for row in report.questions:
        share = "" if row.correct_share is None else round(100 * row.correct_share, 1)
        writer.writerow([row.quiz, row.question, row.answered, share])
    return out.getvalue()
