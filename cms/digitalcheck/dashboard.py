"""The needs dashboard ("Bedarfe"): what companies answered, in aggregate only.

k-anonymity: any figure that stands for fewer than ``MIN_GROUP_SIZE`` submissions (a
month, a sector, a size band, a region, a unit's recommendations, or the whole filtered
set) is suppressed, in the admin page and in the CSV alike, so no single company can be
picked out.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from cms.learning.models import LearningUnitPage, UnitProgress

from .models import QuestionnaireVersion, Region, Sector, SizeBand, Submission, SubmissionStatus

MIN_GROUP_SIZE = 5
GROUPINGS = (("sector", Sector), ("size_band", SizeBand), ("region", Region))
TOP_GAPS = 5


@dataclass(frozen=True)
class DashboardFilters:
    start: date | None = None
    end: date | None = None
    version: QuestionnaireVersion | None = None


@dataclass
class Row:
    label: str
    count: int
    values: dict = field(default_factory=dict)

    @property
    def suppressed(self) -> bool:
        return self.count < MIN_GROUP_SIZE


@dataclass
class Dashboard:
    total: int
    months: list[Row]
    dimensions: list[Row]
    topics: list[Row]
    groups: dict[str, list[Row]]
    units: list[Row]

    @property
    def suppressed(self) -> bool:
        return self.total < MIN_GROUP_SIZE


def _mean(values):
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 1) if values else None


def submitted_in(filters: DashboardFilters):
    rows = Submission.objects.filter(status=SubmissionStatus.SUBMITTED)
    tz = timezone.get_current_timezone()
    if filters.start:
        rows = rows.filter(submitted_at__gte=datetime.combine(filters.start, time.min, tz))
    if filters.end:
        rows = rows.filter(submitted_at__lte=datetime.combine(filters.end, time.max, tz))
    if filters.version:
        rows = rows.filter(version=filters.version)
    return rows


def _topic_rows(submissions, names) -> list[Row]:
    per_topic = defaultdict(list)
    for submission in submissions:
        for topic in submission.scores.get("topics", {}).values():
            if topic.get("implementation") is not None and topic.get("relevance") is not None:
                per_topic[topic["topic_key"]].append(topic)
    rows = [
        Row(
            label=names.get(key, key),
            count=len(answers),
            values={
                "implementation": _mean([a["implementation"] for a in answers]),
                "relevance": _mean([a["relevance"] for a in answers]),
                "gap": _mean([a["gap"] for a in answers]),
            },
        )
        for key, answers in per_topic.items()
    ]
    rows.sort(key=lambda r: (-(r.values["gap"] or 0), r.label))
    return rows


def build_dashboard(filters: DashboardFilters) -> Dashboard:
    submissions = list(submitted_in(filters).only(
        "scores", "sector", "size_band", "region", "submitted_at", "learner_id",
        "recommended_unit_ids", "version_id",
    ))  # fmt: skip
    # Newest version first: its order of dimensions is the dashboard's (scores are stored as
    # JSON objects, whose key order PostgreSQL's jsonb does not keep).
    versions = QuestionnaireVersion.objects.filter(
        pk__in={s.version_id for s in submissions}
    ).order_by("-pk")
    dimension_titles, topic_names, title_order = {}, {}, {}
    for version in versions:
        for dimension in version.snapshot.get("dimensions", []):
            dimension_titles[(version.pk, dimension["id"])] = dimension["title"]
            title_order.setdefault(dimension["title"], len(title_order))
        for topic in version.snapshot.get("topics", []):
            topic_names[topic["topic_key"]] = topic["name"]

    months = defaultdict(int)
    for submission in submissions:
        months[timezone.localtime(submission.submitted_at).strftime("%Y-%m")] += 1

    # Dimensions are grouped by title, so a dimension reworded in a later version is its own row.
    per_dimension = defaultdict(list)
    for submission in submissions:
        for dimension_id, score in submission.scores.get("dimensions", {}).items():
            if score is not None:
                title = dimension_titles.get((submission.version_id, dimension_id), dimension_id)
                per_dimension[title].append(score)
    dimensions = [
        Row(label=t, count=len(v), values={"score": _mean(v)})
        for t, v in sorted(
            per_dimension.items(),
            key=lambda item: (title_order.get(item[0], len(title_order)), item[0]),
        )
    ]
    overall = [s.scores.get("overall") for s in submissions]
    dimensions.insert(
        0, Row(label=_("Overall"), count=len(submissions), values={"score": _mean(overall)})
    )

    groups = {}
    for name, choices in GROUPINGS:
        rows = []
        for value, label in choices.choices:
            members = [s for s in submissions if getattr(s, name) == value]
            if not members:
                continue
            top = _topic_rows(members, topic_names)[:TOP_GAPS]
            rows.append(Row(label=str(label), count=len(members), values={"top": top}))
        groups[name] = rows

    return Dashboard(
        total=len(submissions),
        months=[Row(label=m, count=c) for m, c in sorted(months.items())],
        dimensions=dimensions,
        topics=_topic_rows(submissions, topic_names),
        groups=groups,
        units=_unit_rows(submissions),
    )


def _unit_rows(submissions) -> list[Row]:
    """Per recommended unit: how many checks recommended it, and how many of those
    learners then started and completed it (progress after the check)."""
    recommended = defaultdict(list)
    for submission in submissions:
        for unit_id in submission.recommended_unit_ids or []:
            recommended[unit_id].append(submission)
    if not recommended:
        return []
    titles = dict(LearningUnitPage.objects.filter(pk__in=recommended).values_list("pk", "title"))
    learner_ids = {s.learner_id for subs in recommended.values() for s in subs if s.learner_id}
    progress = {
        (row.learner_id, row.unit_id): row
        for row in UnitProgress.objects.filter(learner_id__in=learner_ids, unit_id__in=recommended)
    }
    rows = []
    for unit_id, subs in recommended.items():
        started = completed = 0
        for submission in subs:
            row = progress.get((submission.learner_id, unit_id))
            if row is None or row.last_visited_at < submission.submitted_at:
                continue
            started += 1
            completed += (
                row.completed_at is not None and row.completed_at >= submission.submitted_at
            )
        rows.append(
            Row(
                label=titles.get(unit_id, f"#{unit_id}"),
                count=len(subs),
                values={"started": started, "completed": int(completed)},
            )
        )
    rows.sort(key=lambda r: (-r.count, r.label))
    return rows


def dashboard_csv(dashboard: Dashboard) -> str:
    """The dashboard as CSV; suppressed groups keep their label but no figures."""
    out = io.StringIO()
    writer = csv.writer(out)
    hidden = _("fewer than %(k)s") % {"k": MIN_GROUP_SIZE}
    writer.writerow([_("Section"), _("Group"), _("Item"), _("Submissions"), _("Value")])
    if dashboard.suppressed:
        writer.writerow([_("All"), "", "", hidden, ""])
        return out.getvalue()

    def write(section, group, row: Row, value):
        if row.suppressed:
            writer.writerow([section, group, row.label, hidden, ""])
        else:
            writer.writerow([section, group, row.label, row.count, value])

    writer.writerow([_("All"), "", "", dashboard.total, ""])
    for row in dashboard.months:
        write(_("Submissions per month"), "", row, row.count)
    for row in dashboard.dimensions:
        write(_("Average score"), "", row, row.values["score"])
    for row in dashboard.topics:
        write(_("Relevance–implementation gap"), "", row, row.values["gap"])
    for name, _choices in GROUPINGS:
        for group in dashboard.groups[name]:
            if group.suppressed:
                writer.writerow([_("Largest gaps"), group.label, "", hidden, ""])
                continue
            for row in group.values["top"]:
                write(_("Largest gaps"), group.label, row, row.values["gap"])
    for row in dashboard.units:
        value = f"{row.values['started']}/{row.values['completed']}"
        write(_("Recommended unit (started/completed)"), "", row, value)
    return out.getvalue()
