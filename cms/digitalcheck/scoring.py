"""Scores of a Digital-Check, computed from a frozen questionnaire snapshot and answers.

Pure functions: no database, so old submissions are scored by exactly the questionnaire
they answered. The rules follow the EU Digital Maturity Assessment for SMEs: each question
is answered on a 0–5 scale, a dimension scores ``100 × mean(answer) / 5`` and the overall
score is the mean of the dimension scores. Topics are rated twice on a 1–5 scale
(implementation, relevance); relevance above implementation is untapped potential (gap).
"""

from __future__ import annotations

from dataclasses import dataclass, field

QUESTION_MIN, QUESTION_MAX = 0, 5
RATING_MIN, RATING_MAX = 1, 5


@dataclass(frozen=True)
class DimensionScore:
    id: str
    title: str
    score: float | None


@dataclass(frozen=True)
class TopicScore:
    id: str
    topic_key: str
    name: str
    implementation: int | None
    relevance: int | None

    @property
    def gap(self) -> int:
        """Relevance above implementation (0 when implementation keeps up or is unknown)."""
        if self.implementation is None or self.relevance is None:
            return 0
        return max(self.relevance - self.implementation, 0)


@dataclass(frozen=True)
class CheckResult:
    overall: float | None
    dimensions: list[DimensionScore] = field(default_factory=list)
    topics: list[TopicScore] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "overall": self.overall,
            "dimensions": {d.id: d.score for d in self.dimensions},
            "topics": {
                t.id: {
                    "topic_key": t.topic_key,
                    "implementation": t.implementation,
                    "relevance": t.relevance,
                    "gap": t.gap,
                }
                for t in self.topics
            },
        }


def _valid(value, low, high) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if low <= value <= high else None


def add_up(values: list[float]) -> float:
    """Left-to-right float sum, the same on every Python version (``sum()`` compensates
    since 3.12) and in the archive's script, which must give the same overall score."""
    total = 0.0
    for value in values:
        total += value
    return total


def score_dimension(values: list[int | None]) -> float | None:
    """``100 × mean / 5`` over the answered questions; None if none is answered."""
    answered = [v for v in values if v is not None]
    if not answered:
        return None
    return round(100 * sum(answered) / (QUESTION_MAX * len(answered)), 1)


def score_check(snapshot: dict, answers: dict) -> CheckResult:
    """Score ``answers`` against the questionnaire ``snapshot`` (see ``versions.build_snapshot``).

    Answers outside the scales or for unknown questions are ignored, never an error: a
    submission is scored by its own version and nothing else.
    """
    question_answers = answers.get("questions", {})
    topic_answers = answers.get("topics", {})
    dimensions = [
        DimensionScore(
            id=dimension["id"],
            title=dimension["title"],
            score=score_dimension(
                [
                    _valid(question_answers.get(q["id"]), QUESTION_MIN, QUESTION_MAX)
                    for q in dimension["questions"]
                ]
            ),
        )
        for dimension in snapshot.get("dimensions", [])
    ]
    scored = [d.score for d in dimensions if d.score is not None]
    overall = round(add_up(scored) / len(scored), 1) if scored else None
    topics = []
    for topic in snapshot.get("topics", []):
        given = topic_answers.get(topic["id"], {})
        topics.append(
            TopicScore(
                id=topic["id"],
                topic_key=topic["topic_key"],
                name=topic["name"],
                implementation=_valid(given.get("implementation"), RATING_MIN, RATING_MAX),
                relevance=_valid(given.get("relevance"), RATING_MIN, RATING_MAX),
            )
        )
    return CheckResult(overall=overall, dimensions=dimensions, topics=topics)


def level_index(implementation: int | None, level_count: int) -> int | None:
    """Position of the maturity level matching an implementation rating (1–5).

    The 1–5 scale is cut into ``level_count`` equal bands, lowest level first: with three
    levels, 1–2 → first, 3–4 → second, 5 → third.
    """
    if implementation is None or level_count <= 0:
        return None
    return min(level_count - 1, (implementation - RATING_MIN) * level_count // RATING_MAX)


def overall_level_index(overall: float | None, level_count: int) -> int | None:
    """Position of the maturity level matching an overall score (0–100), in equal bands."""
    if overall is None or level_count <= 0:
        return None
    return min(level_count - 1, int(overall * level_count // 100))
