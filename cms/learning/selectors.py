"""Read-only queries for learning pages, the API and the editors' report.

Every list here costs a fixed number of queries, whatever the number of units or steps.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Sum
from django.db.models.functions import Coalesce

from cms.core.locales import active_locale
from cms.core.models import CacheGeneration
from cms.images.renditions import CARD_SPECS, prefetch_image
from cms.taxonomy.models import MaturityLevel, Topic

from .models import (
    ChecklistItemState,
    DurationBand,
    LearningPathPage,
    LearningUnitPage,
    PathUnit,
    QuizAttempt,
    ReflectionAnswer,
    StepProgress,
    StepStatus,
    UnitProgress,
)


@dataclass
class UnitStatus:
    """One learner's state in one unit."""

    started: bool = False
    completed: bool = False
    done_steps: int = 0
    required_steps: int = 0
    last_step_id: str = ""

    @property
    def percent(self) -> int:
        if self.completed:
            return 100
        if not self.required_steps:
            return 0
        return min(99, round(100 * self.done_steps / self.required_steps))


def localized_names(model) -> dict:
    """translation_key → name in the active language (else any language), in one query."""
    active = active_locale()
    names = {}
    for item in model.objects.all():
        if item.translation_key not in names or item.locale_id == active.pk:
            names[item.translation_key] = item.name
    return names


def active_topics():
    return Topic.objects.filter(locale=active_locale())


def active_levels():
    return MaturityLevel.objects.filter(locale=active_locale())


def units_with_catalogue_data(queryset):
    """What a unit card shows, in a fixed number of queries; the steps stay unread. The
    teaser image comes with the row; its renditions only for the cards not found in the
    cache (``views.render_unit_cards``)."""
    return (
        queryset.defer_streamfields()
        .defer("objectives")
        .select_related("level_min", "level_max", "teaser_image")
        .prefetch_related("topics")
    )


def filter_units(queryset, topic=None, level=None, media_format=None, duration=None):
    """Units matching the catalogue filters (slugs and choice values, already validated).
    No join multiplies the rows (the topic is a subquery), so no ``DISTINCT`` over whole
    page rows is needed to count and sort them."""
    if topic:
        tagged = LearningUnitPage.topics.through.objects.filter(topic__slug=topic)
        queryset = queryset.filter(pk__in=tagged.values("learningunitpage_id"))
    if level:
        order = MaturityLevel.objects.filter(slug=level).values_list("sort_order", flat=True)
        order = order.first()
        if order is not None:
            queryset = queryset.filter(
                level_min__sort_order__lte=order, level_max__sort_order__gte=order
            )
    if media_format:
        queryset = queryset.filter(formats__contains=media_format)
    if duration:
        low, high = DurationBand.bounds(duration)
        queryset = queryset.filter(total_minutes__gte=low)
        if high is not None:
            queryset = queryset.filter(total_minutes__lte=high)
    return queryset


CATALOGUE_LIST_TIMEOUT = 24 * 60 * 60


@dataclass(frozen=True)
class CatalogueList:
    """The ids of the units and of the paths a catalogue lists under its filters, in order."""

    unit_ids: list[int]
    path_ids: list[int]


def catalogue_list(catalogue, filters: dict) -> CatalogueList:
    """Which units and paths ``catalogue`` lists under ``filters`` (the cleaned filter form),
    in the catalogue's order: from the cache, else two queries that filter and sort every
    unit and path of the catalogue, stored under the catalogue generation
    (``CacheGeneration.CATALOGUE``, moved by ``signal_handlers`` in the same transaction as
    any change that could alter the lists). A warm request reads one counter instead of
    filtering and counting all units (twice: the paths are filtered by their units); the
    page's own rows are then read by id (``units_by_id`` / ``catalogue_paths``)."""
    values = {name: filters.get(name) or "" for name in ("topic", "level", "format", "duration")}
    digest = hashlib.sha256(repr(sorted(values.items())).encode()).hexdigest()[:16]
    generation = CacheGeneration.current(CacheGeneration.CATALOGUE)
    key = f"catalogue-list:{catalogue.pk}:{generation}:{digest}"
    found = cache.get(key)  # plain lists: an entry survives a deployment that changes classes
    if found is not None:
        return CatalogueList(unit_ids=found[0], path_ids=found[1])
    matching = filter_units(
        catalogue.get_units(),
        topic=values["topic"],
        level=values["level"],
        media_format=values["format"],
        duration=values["duration"],
    )
    filtered_by_content = any(values[name] for name in ("topic", "level", "format"))
    paths = catalogue_paths(
        catalogue.get_paths(),
        matching_units=matching if filtered_by_content else None,
        duration=values["duration"],
    )
    listing = CatalogueList(
        unit_ids=list(matching.order_by("path").values_list("pk", flat=True)),
        path_ids=list(paths.order_by("path").values_list("pk", flat=True)),
    )
    cache.set(key, (listing.unit_ids, listing.path_ids), CATALOGUE_LIST_TIMEOUT)
    return listing


def in_order(rows, ids) -> list:
    """``rows`` (model instances) in the order of ``ids``; ids without a row are left out."""
    by_id = {row.pk: row for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def paths_with_units(queryset):
    rows = PathUnit.objects.select_related("unit").defer("unit__steps").filter(unit__live=True)
    return queryset.prefetch_related(
        Prefetch("path_units", queryset=rows, to_attr="live_rows"),
        prefetch_image("teaser_image", CARD_SPECS),
    )


def catalogue_paths(queryset, matching_units=None, duration: str = ""):
    """Paths as the catalogue lists them, each with ``unit_count`` and ``minutes`` of its live
    units, computed by the database: a path card never loads its units. With
    ``matching_units`` (the units the content filters let through) only paths holding one of
    them remain; ``duration`` (a ``DurationBand``) filters on the path's total minutes."""
    live = PathUnit.objects.filter(path=OuterRef("pk"), unit__live=True).order_by()
    queryset = queryset.annotate(
        unit_count=Coalesce(
            Subquery(live.values("path").annotate(n=Count("pk")).values("n")),
            0,
            output_field=IntegerField(),
        ),
        minutes=Coalesce(
            Subquery(live.values("path").annotate(m=Sum("unit__total_minutes")).values("m")),
            0,
            output_field=IntegerField(),
        ),
    )
    if matching_units is not None:
        holding = PathUnit.objects.filter(unit__in=matching_units).values("path_id")
        queryset = queryset.filter(pk__in=holding)
    if duration:
        low, high = DurationBand.bounds(duration)
        queryset = queryset.filter(minutes__gte=low)
        if high is not None:
            queryset = queryset.filter(minutes__lte=high)
    return queryset.select_related("teaser_image")


def completed_units_per_path(learner, paths) -> dict[int, int]:
    """Path id → how many of its live units ``learner`` has completed, in one query; empty
    without a learner."""
    if learner is None or not paths:
        return {}
    done = UnitProgress.objects.filter(learner=learner, completed_at__isnull=False)
    rows = (
        PathUnit.objects.filter(path__in=paths, unit__live=True, unit__in=done.values("unit_id"))
        .values("path_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["path_id"]: row["n"] for row in rows}


def path_units(path) -> list:
    rows = getattr(path, "live_rows", None)
    if rows is None:
        return path.get_units()
    return [row.unit for row in rows]


def unit_statuses(learner, units) -> dict[int, UnitStatus]:
    """Unit id → the learner's status, for any number of units in two queries; none at all
    without a learner. Reads the stored ``required_step_ids``, never the steps themselves."""
    units = list(units)
    statuses = {unit.pk: UnitStatus(required_steps=len(unit.required_step_ids)) for unit in units}
    if learner is None or not units:
        return statuses
    for row in UnitProgress.objects.filter(learner=learner, unit__in=units):
        status = statuses[row.unit_id]
        status.started = True
        status.completed = row.completed_at is not None
        status.last_step_id = row.last_step_id
    done = StepProgress.objects.filter(
        learner=learner, unit__in=units, status=StepStatus.COMPLETED
    ).values_list("unit_id", "step_id")
    required = {unit.pk: set(unit.required_step_ids) for unit in units}
    for unit_id, step_id in done:
        if step_id in required[unit_id]:
            statuses[unit_id].done_steps += 1
    return statuses


def step_progress(learner, unit) -> dict[str, StepProgress]:
    if learner is None:
        return {}
    return {row.step_id: row for row in StepProgress.objects.filter(learner=learner, unit=unit)}


def step_state(learner, unit, step=None) -> dict:
    """What the learner has entered in one step (or the whole unit): checklist ticks,
    reflections, quiz attempts; three queries."""
    if learner is None:
        return {"checked": set(), "reflections": {}, "attempts": defaultdict(list)}
    scope = {"learner": learner, "unit": unit}
    if step is not None:
        scope["step_id"] = step.id
    checked = set(
        ChecklistItemState.objects.filter(checked=True, **scope).values_list("item_id", flat=True)
    )
    reflections = dict(
        ReflectionAnswer.objects.filter(**scope).values_list("reflection_id", "text")
    )
    attempts = defaultdict(list)
    for attempt in QuizAttempt.objects.filter(**scope):
        attempts[attempt.quiz_id].append(attempt)
    return {"checked": checked, "reflections": reflections, "attempts": attempts}


def latest_unfinished(learner):
    """The unit progress to resume: the most recently visited unit not yet completed."""
    if learner is None:
        return None
    return (
        UnitProgress.objects.filter(learner=learner, completed_at=None, unit__live=True)
        .select_related("unit")
        .order_by("-last_visited_at")
        .first()
    )


def learner_units(learner):
    """The learner's unit progress rows, most recent first, with the live units."""
    if learner is None:
        return []
    return list(
        UnitProgress.objects.filter(learner=learner, unit__live=True)
        .select_related("unit")
        .order_by("-last_visited_at")
    )


def learner_paths(learner, unit_ids):
    """Live paths containing any of ``unit_ids``, with their units prefetched."""
    if not unit_ids:
        return []
    return list(
        paths_with_units(LearningPathPage.objects.live().filter(path_units__unit__in=unit_ids))
        .distinct()
        .order_by("title")
    )


_EXPORT_SECTIONS: dict = {}


def register_export_section(name: str, collect) -> None:
    """Let another app add its learner- or account-linked data to "Meine Daten":
    ``collect(learner, user)`` (either may be None) returns JSON-ready data, exported under
    ``name`` (e.g. the Digital-Check's submissions and certificates)."""
    _EXPORT_SECTIONS[name] = collect


def export_learner_data(learner, user=None) -> dict:
    """Everything stored about one learner and their account, as JSON-ready data ("Meine
    Daten"); ``user`` is the signed-in account or None."""
    if user is not None and not user.is_authenticated:
        user = None
    if learner is None and user is None:
        return {"learner": None}
    own = _own_learner_data(learner) if learner is not None else {"learner": None}
    return {**own, **{name: collect(learner, user) for name, collect in _EXPORT_SECTIONS.items()}}


def _own_learner_data(learner) -> dict:
    titles = dict(LearningUnitPage.objects.values_list("pk", "title"))

    def unit(row):
        return {"unit_id": row.unit_id, "unit": titles.get(row.unit_id, "")}

    return {
        "learner": {
            "created_at": learner.created_at.isoformat(),
            "last_seen_at": learner.last_seen_at.isoformat(),
            "account_email": learner.user.email if learner.user_id else None,
        },
        "units": [
            {
                **unit(row),
                "last_step_id": row.last_step_id,
                "started_at": row.started_at.isoformat(),
                "last_visited_at": row.last_visited_at.isoformat(),
                "completed_at": row.completed_at.isoformat() if row.completed_at else None,
            }
            for row in learner.units.all()
        ],
        "steps": [
            {
                **unit(row),
                "step_id": row.step_id,
                "status": row.status,
                "seconds_spent": row.seconds_spent,
                "marked_done": row.marked_done,
                "first_viewed_at": row.first_viewed_at.isoformat(),
                "completed_at": row.completed_at.isoformat() if row.completed_at else None,
            }
            for row in learner.steps.all()
        ],
        "quiz_attempts": [
            {
                **unit(row),
                "step_id": row.step_id,
                "quiz_id": row.quiz_id,
                "answers": row.answers,
                "results": row.results,
                "score": row.score,
                "passed": row.passed,
                "created_at": row.created_at.isoformat(),
            }
            for row in learner.quiz_attempts.all()
        ],
        "checklist_items": [
            {
                **unit(row),
                "step_id": row.step_id,
                "checklist_id": row.checklist_id,
                "item_id": row.item_id,
                "checked": row.checked,
            }
            for row in learner.checklist_items.all()
        ],
        "reflections": [
            {
                **unit(row),
                "step_id": row.step_id,
                "reflection_id": row.reflection_id,
                "text": row.text,
                "updated_at": row.updated_at.isoformat(),
            }
            for row in learner.reflections.all()
        ],
    }
