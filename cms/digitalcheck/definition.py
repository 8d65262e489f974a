"""The Digital-Check's scoring definition as plain data, and the reference evaluation of it.

``check_definition`` turns a check (its current questionnaire version) into one JSON-able
dict in the page's language: the frozen questionnaire (dimensions, questions, topic pairs),
the answer scales with their labels, the maturity levels, and the units and learning paths
recommendations are chosen from with their topics and level ranges
(``recommendations.recommendation_sources``, the data the server ranks with). ``evaluate``
scores answers against that dict with the server's own pure functions (``scoring.score_check``,
``level_index``/``overall_level_index`` and ``recommendations.rank``). The static archive
exports the dict and ``static/archive/digitalcheck.js`` re-implements ``evaluate``; tests
compare both with the live result page.
"""

from __future__ import annotations

from django.utils import translation

from .forms import QUESTION_CHOICES, RATING_CHOICES
from .recommendations import rank, recommendation_sources, topic_rows
from .scoring import (
    QUESTION_MAX,
    QUESTION_MIN,
    RATING_MAX,
    RATING_MIN,
    level_index,
    overall_level_index,
    score_check,
)


def check_definition(page, version=None) -> dict | None:
    """The scoring definition of ``page`` (None without a published questionnaire).

    Units and paths carry their URL on the site (``url``) so that a page built from the
    definition can link them; the archive rewrites these to its own links.
    """
    version = version or page.get_current_version()
    if version is None:
        return None
    language = page.locale.language_code
    with translation.override(language):
        data, pages = recommendation_sources(page.locale)
        for candidate in (*data["units"], *data["paths"]):
            candidate["url"] = pages[candidate["key"]].url
        return {
            "page": page.pk,
            "version": version.number,
            "language": language,
            "questionnaire": version.snapshot,
            "scales": {
                "question": {
                    "min": QUESTION_MIN,
                    "max": QUESTION_MAX,
                    "labels": [[value, str(label)] for value, label in QUESTION_CHOICES],
                },
                "rating": {
                    "min": RATING_MIN,
                    "max": RATING_MAX,
                    "labels": [[value, str(label)] for value, label in RATING_CHOICES],
                },
            },
            **data,
        }


def evaluate(definition: dict, answers: dict) -> dict:
    """The result of ``answers`` (``{"questions": {id: 0–5}, "topics": {id: {"implementation":
    1–5, "relevance": 1–5}}}``) as the result page shows it, from ``definition`` alone."""
    result = score_check(definition["questionnaire"], answers)
    levels = definition["levels"]
    index = overall_level_index(result.overall, len(levels))
    topics = []
    for topic in topic_rows(result):
        level = level_index(topic["implementation"], len(levels))
        topics.append(
            {
                "name": topic["name"],
                "implementation": topic["implementation"],
                "relevance": topic["relevance"],
                "gap": topic["gap"],
                "level": levels[level]["name"] if level is not None else "",
            }
        )
    topics.sort(key=lambda t: -t["gap"])
    units, paths = rank(topic_rows(result), definition)
    return {
        "overall": result.overall,
        "overall_level": levels[index]["name"] if index is not None else "",
        "dimensions": [
            {"id": d.id, "title": d.title, "score": d.score} for d in result.dimensions
        ],
        "topics": topics,
        "units": units,
        "paths": paths,
    }
