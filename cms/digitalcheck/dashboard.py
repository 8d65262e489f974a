"""The needs dashboard ("Bedarfe"): what companies answered, in aggregate only.

Anonymity (see docs/architecture.md, "Dashboard"): figures are released per *cell*, one
calendar quarter of one questionnaire version. A cell with fewer than ``MIN_GROUP_SIZE``
submissions releases nothing. Within a released cell, a group (month, sector, size band,
region, "not given" included) is released only if it has ``MIN_GROUP_SIZE`` members and
no subtraction of released groups from the cell or from another released group leaves 1
to ``MIN_GROUP_SIZE - 1`` submissions (``release_groups``). Every view (a quarter, all
periods, a version) only adds up released pieces of cells, so comparing views, or a view
with its groups, yields sums of released pieces again.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from cms.core.csv_export import SafeCSVWriter
from cms.learning.models import LearningUnitPage, UnitProgress

from .models import QuestionnaireVersion, Region, Sector, SizeBand, Submission, SubmissionStatus

MIN_GROUP_SIZE = 5
GROUPINGS = (("sector", Sector), ("size_band", SizeBand), ("region", Region))
NOT_GIVEN = ""
TOP_GAPS = 5


class InvalidPeriodError(ValueError):
    """A period key that is neither "" nor "YYYY-Qn"."""


def month_key(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m")


def quarter_key(month: str) -> str:
    year, number = month.split("-")
    return f"{year}-Q{(int(number) - 1) // 3 + 1}"


def quarters_of(period: str, quarters) -> list[str]:
    """The quarters among ``quarters`` that ``period`` covers ("" is all of them)."""
    if period == "":
        return sorted(quarters)
    year, _sep, number = period.partition("-Q")
    if not (year.isdigit() and len(year) == 4 and number in ("1", "2", "3", "4")):
        raise InvalidPeriodError(period)
    return [period] if period in quarters else []


@dataclass(frozen=True)
class DashboardFilters:
    period: str = ""
    version: QuestionnaireVersion | None = None


@dataclass
class Row:
    label: str
    count: int
    values: dict = field(default_factory=dict)
    hidden: bool = False

    @property
    def suppressed(self) -> bool:
        return self.hidden or self.count < MIN_GROUP_SIZE


@dataclass
class Dashboard:
    total: int
    months: list[Row]
    dimensions: list[Row]
    topics: list[Row]
    groups: dict[str, list[Row]]
    units: list[Row]
    hidden_cells: int = 0

    @property
    def suppressed(self) -> bool:
        return self.total < MIN_GROUP_SIZE


def _mean(values):
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 1) if values else None


def _find_differencing(parent: frozenset, released: dict) -> tuple | None:
    """A released group whose withdrawal is needed because subtracting some pairwise
    disjoint released groups inside ``parent`` from it leaves 1…k−1 submissions; None if
    there is none. Returns the smallest group of the offending subtraction."""
    inside = sorted(
        ((key, members) for key, members in released.items() if members < parent),
        key=lambda item: (len(item[1]), item[0]),
    )

    def search(start, taken, union):
        rest = len(parent) - len(union)
        if taken and 0 < rest < MIN_GROUP_SIZE:
            return min(taken, key=lambda key: (len(released[key]), key))
        for index in range(start, len(inside)):
            key, members = inside[index]
            if not members & union:
                found = search(index + 1, [*taken, key], union | members)
                if found is not None:
                    return found
        return None

    return search(0, [], frozenset())


def release_groups(cell: list, groupings) -> dict[tuple[str, str], frozenset]:
    """(grouping, value) → member ids of the groups this cell may show.

    ``groupings`` are (attribute, values) pairs; every submission has one value of each.
    Primary suppression: groups under ``MIN_GROUP_SIZE``. Complementary suppression: while
    the cell, or a released group, minus any pairwise disjoint released groups inside it
    leaves 1…k−1 submissions, withdraw the smallest group of that subtraction. Within one
    grouping this is the classic rule (the suppressed rest must not be small, so one small
    group takes the next-smallest with it); across groupings it stops "total − craft −
    10 to 49 employees = one company".
    """
    total = frozenset(s.pk for s in cell)
    released = {}
    for name, values in groupings:
        for value in values:
            members = frozenset(s.pk for s in cell if getattr(s, name) == value)
            if len(members) >= MIN_GROUP_SIZE:
                released[(name, value)] = members
    while True:
        withdraw = None
        for parent in [total, *released.values()]:
            withdraw = _find_differencing(parent, released)
            if withdraw is not None:
                break
        if withdraw is None:
            return released
        del released[withdraw]


def _pooled(pieces, value_of) -> list:
    """Values of ``value_of`` over released pieces; a piece counts only if every one of its
    submissions has a value, so a figure never stands for a subset of a released piece."""
    values = []
    for piece in pieces:
        piece_values = [value_of(s) for s in piece]
        if piece_values and all(v is not None for v in piece_values):
            values.extend(piece_values)
    return values


def submitted_in(filters: DashboardFilters):
    rows = Submission.objects.filter(status=SubmissionStatus.SUBMITTED)
    if filters.version:
        rows = rows.filter(version=filters.version)
    return rows


def submitted_quarters() -> list[str]:
    """Quarters (local time) with at least one submission, for the period choices."""
    moments = Submission.objects.filter(status=SubmissionStatus.SUBMITTED).values_list(
        "submitted_at", flat=True
    )
    return sorted({quarter_key(month_key(moment)) for moment in moments if moment})


def _topic_answer(submission, key):
    for topic in submission.scores.get("topics", {}).values():
        if topic.get("topic_key") == key:
            if topic.get("implementation") is None or topic.get("relevance") is None:
                return None
            return topic
    return None


def _topic_rows(pieces, names) -> list[Row]:
    keys = {
        topic["topic_key"]
        for piece in pieces
        for submission in piece
        for topic in submission.scores.get("topics", {}).values()
    }
    rows = []
    for key in keys:
        answers = _pooled(pieces, lambda s, key=key: _topic_answer(s, key))
        if answers:
            rows.append(
                Row(
                    label=names.get(key, key),
                    count=len(answers),
                    values={
                        "implementation": _mean([a["implementation"] for a in answers]),
                        "relevance": _mean([a["relevance"] for a in answers]),
                        "gap": _mean([a["gap"] for a in answers]),
                    },
                )
            )
    rows.sort(key=lambda r: (-(r.values["gap"] or 0), r.label))
    return rows


def build_dashboard(filters: DashboardFilters) -> Dashboard:
    """The dashboard for one period ("" for all, or a quarter "YYYY-Qn"); raises
    ``InvalidPeriodError`` for anything else."""
    submissions = list(submitted_in(filters).only(
        "scores", "sector", "size_band", "region", "submitted_at", "learner_id",
        "recommended_unit_ids", "version_id",
    ))  # fmt: skip
    by_quarter = defaultdict(list)
    for submission in submissions:
        submission.month = month_key(submission.submitted_at)
        by_quarter[quarter_key(submission.month)].append(submission)
    quarters = quarters_of(filters.period, by_quarter)

    cells = defaultdict(list)  # (quarter, version) → submissions
    for quarter in quarters:
        for submission in by_quarter[quarter]:
            cells[(quarter, submission.version_id)].append(submission)
    released = {key: cell for key, cell in cells.items() if len(cell) >= MIN_GROUP_SIZE}
    pieces = list(released.values())
    shown = [s for cell in pieces for s in cell]

    # Newest version first: its order of dimensions is the dashboard's (scores are stored as
    # JSON objects, whose key order PostgreSQL's jsonb does not keep).
    versions = QuestionnaireVersion.objects.filter(pk__in={key[1] for key in released}).order_by(
        "-pk"
    )
    dimension_titles, topic_names, title_order = {}, {}, {}
    for version in versions:
        for dimension in version.snapshot.get("dimensions", []):
            dimension_titles[(version.pk, dimension["id"])] = dimension["title"]
            title_order.setdefault(dimension["title"], len(title_order))
        for topic in version.snapshot.get("topics", []):
            topic_names[topic["topic_key"]] = topic["name"]

    released_groups = {
        key: release_groups(
            cell,
            [("month", {s.month for s in cell})]
            + [(name, [*choices.values, NOT_GIVEN]) for name, choices in GROUPINGS],
        )
        for key, cell in released.items()
    }
    month_rows = []
    for month in sorted({s.month for quarter in quarters for s in by_quarter[quarter]}):
        counts = [
            len(groups[("month", month)])
            for groups in released_groups.values()
            if ("month", month) in groups
        ]
        month_rows.append(Row(label=month, count=sum(counts), hidden=not counts))

    # Dimensions are grouped by title, so a dimension reworded in a later version is its own row.
    titled = {
        s.pk: {
            dimension_titles.get((s.version_id, dimension_id), dimension_id): score
            for dimension_id, score in s.scores.get("dimensions", {}).items()
        }
        for s in shown
    }
    titles = sorted(
        {title for scores in titled.values() for title in scores},
        key=lambda title: (title_order.get(title, len(title_order)), title),
    )
    dimensions = []
    for title in titles:
        scores = _pooled(pieces, lambda s, title=title: titled[s.pk].get(title))
        if scores:
            dimensions.append(Row(label=title, count=len(scores), values={"score": _mean(scores)}))
    overall = _pooled(pieces, lambda s: s.scores.get("overall"))
    dimensions.insert(0, Row(label=_("Overall"), count=len(overall),
                             values={"score": _mean(overall)}))  # fmt: skip

    groups = {}
    for name, choices in GROUPINGS:
        rows = []
        for value, label in [*choices.choices, (NOT_GIVEN, _("Not given"))]:
            if not any(getattr(s, name) == value for s in shown):
                continue
            group_pieces = [
                [s for s in cell if s.pk in released_groups[key][(name, value)]]
                for key, cell in released.items()
                if (name, value) in released_groups[key]
            ]
            if not group_pieces:
                rows.append(Row(label=str(label), count=0, hidden=True))
                continue
            top = _topic_rows(group_pieces, topic_names)[:TOP_GAPS]
            count = sum(len(piece) for piece in group_pieces)
            rows.append(Row(label=str(label), count=count, values={"top": top}))
        groups[name] = rows

    return Dashboard(
        total=len(shown),
        months=month_rows,
        dimensions=dimensions,
        topics=_topic_rows(pieces, topic_names),
        groups=groups,
        units=_unit_rows(pieces),
        hidden_cells=len(cells) - len(released),
    )


def _unit_rows(pieces) -> list[Row]:
    """Per recommended unit: how many checks recommended it, and how many of those
    learners then started and completed it (progress after the check). A cell counts for a
    unit only if the unit was recommended in at least ``MIN_GROUP_SIZE`` of its checks."""
    recommended = defaultdict(list)
    for cell in pieces:
        per_unit = defaultdict(list)
        for submission in cell:
            for unit_id in submission.recommended_unit_ids or []:
                per_unit[unit_id].append(submission)
        for unit_id, subs in per_unit.items():
            if len(subs) >= MIN_GROUP_SIZE:
                recommended[unit_id].extend(subs)
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
    """The dashboard as CSV; withheld figures keep their label but no numbers."""
    out = io.StringIO()
    writer = SafeCSVWriter(out)
    hidden = _("not shown")
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
