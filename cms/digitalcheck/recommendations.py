"""Which units and learning paths a Digital-Check result recommends.

A unit is a candidate for a topic the company rated more relevant than implemented (a gap)
and only if its maturity-level range includes the level that topic's implementation rating
puts the company on; nobody is sent to something above or below their level. Candidates
are ranked by the largest gap, then relevance, then title.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cms.learning.models import LearningPathPage, LearningUnitPage
from cms.learning.selectors import path_units, paths_with_units
from cms.taxonomy.models import MaturityLevel

from .scoring import CheckResult, TopicScore, level_index


@dataclass
class Recommendation:
    page: object
    gap: int
    relevance: int
    topics: list[str] = field(default_factory=list)
    level_name: str = ""

    @property
    def is_path(self) -> bool:
        return isinstance(self.page, LearningPathPage)


def maturity_levels(locale) -> list[MaturityLevel]:
    """The maturity levels of ``locale``, lowest first (the scale results are cut into)."""
    return list(MaturityLevel.objects.filter(locale=locale).order_by("sort_order"))


def topic_level(topic: TopicScore, levels: list[MaturityLevel]) -> MaturityLevel | None:
    index = level_index(topic.implementation, len(levels))
    return None if index is None else levels[index]


def topic_rows(result: CheckResult) -> list[dict]:
    """The result's topic ratings as plain data, in questionnaire order (what ``rank`` reads)."""
    return [
        {
            "topic_key": str(t.topic_key),
            "name": t.name,
            "implementation": t.implementation,
            "relevance": t.relevance,
            "gap": t.gap,
        }
        for t in result.topics
    ]


def recommendation_sources(locale, levels=None, *, units=5, paths=3) -> tuple[dict, dict]:
    """What recommending reads, as plain JSON-able data, and the pages it names.

    ``data`` holds the maturity levels (lowest first), the live public units and the paths
    with live units of ``locale`` — each with its topics (translation keys) and the range of
    level sort orders it fits — and how many of each to recommend. ``pages`` maps each
    candidate's ``key`` to its page. The Digital-Check in the static archive exports the same
    ``data``, so the browser ranks with exactly what the server ranks with. A fixed number of
    queries whatever the number of units and paths.
    """
    levels = maturity_levels(locale) if levels is None else levels
    unit_rows = (
        LearningUnitPage.objects.live()
        .public()
        .filter(locale=locale)
        .select_related("level_min", "level_max")
        .prefetch_related("topics")
        .order_by("path")
    )
    pages = {}
    unit_data = []
    for unit in unit_rows:
        key = f"unit:{unit.pk}"
        pages[key] = unit
        unit_data.append(
            {
                "key": key,
                "title": unit.title,
                "teaser": unit.teaser,
                "minutes": unit.total_minutes,
                "topics": sorted({str(t.translation_key) for t in unit.topics.all()}),
                "low": unit.level_min.sort_order,
                "high": unit.level_max.sort_order,
            }
        )
    path_rows = (
        paths_with_units(LearningPathPage.objects.live().public().filter(locale=locale))
        .prefetch_related(
            "live_rows__unit__topics", "live_rows__unit__level_min", "live_rows__unit__level_max"
        )
        .order_by("path")
    )
    path_data = []
    for path in path_rows:
        members = path_units(path)
        if not members:
            continue
        key = f"path:{path.pk}"
        pages[key] = path
        path_data.append(
            {
                "key": key,
                "title": path.title,
                "topics": sorted(
                    {str(t.translation_key) for unit in members for t in unit.topics.all()}
                ),
                "low": min(u.level_min.sort_order for u in members),
                "high": max(u.level_max.sort_order for u in members),
            }
        )
    data = {
        "levels": [{"name": level.name, "order": level.sort_order} for level in levels],
        "units": unit_data,
        "paths": path_data,
        "limits": {"units": units, "paths": paths},
    }
    return data, pages


def _match(gaps: list[dict], levels: list[dict], candidate: dict) -> list:
    """(topic, level) of the gap topics among the candidate's topics whose level (from the
    implementation rating) lies in the candidate's level range."""
    matched = []
    for topic in gaps:
        if topic["topic_key"] not in candidate["topics"]:
            continue
        index = level_index(topic["implementation"], len(levels))
        if index is None:
            continue
        level = levels[index]
        if candidate["low"] <= level["order"] <= candidate["high"]:
            matched.append((topic, level))
    return matched


def _ranked_data(candidates: list[dict], gaps: list[dict], levels: list[dict], limit: int):
    found = []
    for candidate in candidates:
        matched = _match(gaps, levels, candidate)
        if not matched:
            continue
        matched.sort(key=lambda pair: (-pair[0]["gap"], -(pair[0]["relevance"] or 0)))
        best, level = matched[0]
        found.append(
            {
                "key": candidate["key"],
                "title": candidate["title"],
                "gap": best["gap"],
                "relevance": best["relevance"] or 0,
                "topics": [topic["name"] for topic, _level in matched],
                "level_name": level["name"],
            }
        )
    found.sort(key=lambda r: (-r["gap"], -r["relevance"], r["title"]))
    return found[:limit]


def rank(topics: list[dict], data: dict) -> tuple[list[dict], list[dict]]:
    """(units, paths) to recommend for the topic ratings ``topics`` (``topic_rows``), from
    ``data`` (``recommendation_sources``), best first. Pure: the archive's script
    (``static/archive/digitalcheck.js``) does the same with the same data.

    A candidate fits a topic the company rated more relevant than implemented (a gap) when
    the level that topic's implementation puts the company on lies in its level range; it
    ranks by its best such topic (largest gap, then relevance), then by title.
    """
    levels = data["levels"]
    gaps = [t for t in topics if t["gap"] > 0]
    if not levels or not gaps:
        return [], []
    limits = data["limits"]
    return (
        _ranked_data(data["units"], gaps, levels, limits["units"]),
        _ranked_data(data["paths"], gaps, levels, limits["paths"]),
    )


def recommend(result: CheckResult, locale, *, units=5, paths=3):
    """(units, paths) to recommend for ``result``, best first, both lists of Recommendation.

    Ranks with ``rank`` over ``recommendation_sources``; costs a fixed number of queries
    whatever the number of units and paths.
    """
    levels = maturity_levels(locale)
    topics = topic_rows(result)
    if not levels or not any(t["gap"] > 0 for t in topics):
        return [], []
    data, pages = recommendation_sources(locale, levels, units=units, paths=paths)
    ranked_units, ranked_paths = rank(topics, data)
    return (
        [_recommendation(pages, found) for found in ranked_units],
        [_recommendation(pages, found) for found in ranked_paths],
    )


def _recommendation(pages: dict, found: dict) -> Recommendation:
    return Recommendation(
        page=pages[found["key"]],
        gap=found["gap"],
        relevance=found["relevance"],
        topics=found["topics"],
        level_name=found["level_name"],
    )
