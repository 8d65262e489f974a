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


def _in_range(level: MaturityLevel, low: MaturityLevel, high: MaturityLevel) -> bool:
    return low.sort_order <= level.sort_order <= high.sort_order


def _match(topics_with_gap, levels, topic_keys, low, high):
    """Gap topics among ``topic_keys`` whose level lies in ``low``–``high``."""
    matched = []
    for topic in topics_with_gap:
        if str(topic.topic_key) not in topic_keys:
            continue
        level = topic_level(topic, levels)
        if level is not None and _in_range(level, low, high):
            matched.append((topic, level))
    return matched


def _ranked(candidates, limit):
    candidates.sort(key=lambda r: (-r.gap, -r.relevance, r.page.title))
    return candidates[:limit]


def recommend(result: CheckResult, locale, *, units=5, paths=3):
    """(units, paths) to recommend for ``result``, best first, both lists of Recommendation.

    Costs a fixed number of queries whatever the number of units and paths.
    """
    levels = maturity_levels(locale)
    gaps = [t for t in result.topics if t.gap > 0]
    if not levels or not gaps:
        return [], []
    unit_rows = (
        LearningUnitPage.objects.live()
        .public()
        .filter(locale=locale)
        .select_related("level_min", "level_max")
        .prefetch_related("topics")
    )
    unit_recs = []
    for unit in unit_rows:
        keys = {str(t.translation_key) for t in unit.topics.all()}
        matched = _match(gaps, levels, keys, unit.level_min, unit.level_max)
        if matched:
            unit_recs.append(_recommendation(unit, matched))
    path_recs = []
    path_rows = paths_with_units(
        LearningPathPage.objects.live().public().filter(locale=locale)
    ).prefetch_related(
        "live_rows__unit__topics", "live_rows__unit__level_min", "live_rows__unit__level_max"
    )
    for path in path_rows:
        members = path_units(path)
        if not members:
            continue
        keys = {str(t.translation_key) for unit in members for t in unit.topics.all()}
        low = min((u.level_min for u in members), key=lambda level: level.sort_order)
        high = max((u.level_max for u in members), key=lambda level: level.sort_order)
        matched = _match(gaps, levels, keys, low, high)
        if matched:
            path_recs.append(_recommendation(path, matched))
    return _ranked(unit_recs, units), _ranked(path_recs, paths)


def _recommendation(page, matched) -> Recommendation:
    matched.sort(key=lambda pair: (-pair[0].gap, -(pair[0].relevance or 0)))
    best, level = matched[0]
    return Recommendation(
        page=page,
        gap=best.gap,
        relevance=best.relevance or 0,
        topics=[topic.name for topic, _level in matched],
        level_name=level.name,
    )
