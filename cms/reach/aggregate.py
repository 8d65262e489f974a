"""The fold: raw events and learning tables → ``DailyFigure`` rows (days in UTC).

Runs from Celery beat (``aggregate_reach``) or ``manage.py aggregate_reach``. It recomputes
every day from the day before the last folded one and replaces those days' rows in one
transaction, so running it twice gives the same figures. Raw events older than
``REACH_RAW_RETENTION_DAYS`` are deleted afterwards; the daily figures stay.

Downloads follow IAB Podcast Measurement 2.2: per listener and item, the byte ranges asked
for within a rolling 24 hours from the first request are merged; the download counts once,
on the request that brings the merged bytes to the item's threshold (one minute of audio, or
the whole file when shorter).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import DailyFigure, EnclosureRequest, FeedFetch, FoldState, PageView, PlayEvent

WINDOW = dt.timedelta(hours=24)
EPOCH = dt.date(2000, 1, 1)
UTC = dt.UTC
CHUNK = 20_000


def _day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(UTC).date()


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=UTC)


class _Window:
    __slots__ = ("start", "ranges", "counted")

    def __init__(self, start):
        self.start = start
        self.ranges: list[list[int]] = []
        self.counted = False

    def add(self, first: int, last: int) -> int:
        """Merge [first, last] in and return the bytes covered so far."""
        if not self.ranges:  # the usual case: the first request of a window
            self.ranges = [[first, last]]
            return last - first + 1
        merged = []
        for low, high in sorted([*self.ranges, [first, last]]):
            if merged and low <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], high)
            else:
                merged.append([low, high])
        self.ranges = merged
        return sum(high - low + 1 for low, high in merged)


def count_downloads(rows, since: dt.date) -> Counter:
    """``rows``: (at, kind, item_id, private, listener, listener_prev, first, last,
    threshold, app, platform) in time order. Returns figure keys → counts for days ≥ since."""
    figures: Counter = Counter()
    windows: dict[str, _Window] = {}
    today_ids: dict[str, str] = {}
    yesterday_ids: dict[str, str] = {}
    current_day = None
    next_midnight = None
    for (
        at,
        kind,
        item_id,
        private,
        listener,
        previous,
        first,
        last,
        threshold,
        app,
        platform,
    ) in rows:
        if next_midnight is None or at >= next_midnight:
            day = _day(at)
            next_midnight = _start_of(day + dt.timedelta(days=1))
        if day != current_day:
            # Hashes of the day before yesterday cannot be met again: yesterday's salt is the
            # only other one an event carries. Windows older than 24 h are closed.
            yesterday_ids = today_ids if current_day == day - dt.timedelta(days=1) else {}
            today_ids = {}
            windows = {key: w for key, w in windows.items() if at - w.start < WINDOW}
            current_day = day
        person = today_ids.get(listener)
        if person is None:
            person = yesterday_ids.get(previous) if previous else None
            person = person or listener
            today_ids[listener] = person
        window = windows.get(person)
        if window is None or at - window.start >= WINDOW:
            window = windows[person] = _Window(at)
        if window.counted:
            continue
        if window.add(first, last) >= threshold:
            window.counted = True
            if day < since:
                continue
            metric = "private_download" if private else "download"
            subject = f"{'episode' if kind == 'audio' else 'video'}:{item_id}"
            for target in (subject, f"all:{kind}"):
                figures[(day, metric, target, "", "")] += 1
                figures[(day, metric, target, "app", app)] += 1
                figures[(day, metric, target, "platform", platform)] += 1
    return figures


def _download_rows(since: dt.date):
    # One day more than is written: a window can begin before midnight.
    return (
        EnclosureRequest.objects.filter(at__gte=_start_of(since) - WINDOW)
        .order_by("at", "pk")
        .values_list(
            "at",
            "kind",
            "item_id",
            "private",
            "listener",
            "listener_prev",
            "first_byte",
            "last_byte",
            "threshold",
            "app",
            "platform",
        )
        .iterator(chunk_size=CHUNK)
    )


def count_plays(since: dt.date) -> Counter:
    """Plays and how far they got: distinct viewers per day (the viewer hash is per day)."""
    figures: Counter = Counter()
    events = PlayEvent.objects.filter(at__gte=_start_of(since)).annotate(
        day=TruncDate("at", tzinfo=UTC)
    )
    for row in events.values("day", "video_id", "milestone").annotate(
        viewers=Count("viewer", distinct=True)
    ):
        metric = "video_play" if row["milestone"] == 0 else "video_progress"
        value = "" if row["milestone"] == 0 else str(row["milestone"])
        dimension = "" if row["milestone"] == 0 else "milestone"
        for target in (f"video:{row['video_id']}", "all:video"):
            figures[(row["day"], metric, target, dimension, value)] += row["viewers"]
    embedded = events.filter(milestone=0).exclude(embed_domain="")
    for row in embedded.values("day", "video_id", "embed_domain").annotate(
        viewers=Count("viewer", distinct=True)
    ):
        for target in (f"video:{row['video_id']}", "all:video"):
            figures[(row["day"], "video_play", target, "embed", row["embed_domain"])] += row[
                "viewers"
            ]
    return figures


def count_feed_subscribers(since: dt.date) -> Counter:
    """Subscribers that apps report: the day's highest figure per feed and app."""
    figures: Counter = Counter()
    fetches = FeedFetch.objects.filter(at__gte=_start_of(since)).annotate(
        day=TruncDate("at", tzinfo=UTC)
    )
    for row in fetches.values("day", "feed", "app").annotate(most=Max("subscribers")):
        figures[(row["day"], "feed_subscribers", f"feed:{row['feed']}", "app", row["app"])] = row[
            "most"
        ]
        figures[(row["day"], "feed_subscribers", f"feed:{row['feed']}", "", "")] += row["most"]
    return figures


def count_page_views(since: dt.date) -> Counter:
    """Views per page and day, by referring site and by language."""
    figures: Counter = Counter()
    views = PageView.objects.filter(at__gte=_start_of(since)).annotate(
        day=TruncDate("at", tzinfo=UTC)
    )
    for row in views.values("day", "page_id", "referrer", "language").annotate(n=Count("pk")):
        for target in (f"page:{row['page_id']}", "all:web"):
            figures[(row["day"], "page_view", target, "", "")] += row["n"]
            figures[(row["day"], "page_view", target, "language", row["language"])] += row["n"]
            if row["referrer"]:
                figures[(row["day"], "page_view", target, "referrer", row["referrer"])] += row["n"]
    return figures


def _by_day(queryset, field: str, metric: str, subject_field: str | None, prefix: str, figures):
    since_rows = queryset.annotate(day=TruncDate(field, tzinfo=UTC))
    fields = ["day", subject_field] if subject_field else ["day"]
    for row in since_rows.values(*fields).annotate(n=Count("pk")):
        figures[(row["day"], metric, "all:learning", "", "")] += row["n"]
        if subject_field and row[subject_field]:
            figures[(row["day"], metric, f"{prefix}:{row[subject_field]}", "", "")] += row["n"]


def count_learning(since: dt.date) -> Counter:
    """Starts and completions of units, completed paths, quiz attempts and passes,
    certificates and Digital-Checks, from the tables that hold them."""
    from cms.digitalcheck.models import Certificate, Submission
    from cms.learning.models import PathUnit, QuizAttempt, UnitProgress

    figures: Counter = Counter()
    start = _start_of(since)
    _by_day(
        UnitProgress.objects.filter(started_at__gte=start),
        "started_at",
        "unit_start",
        "unit_id",
        "unit",
        figures,
    )
    _by_day(
        UnitProgress.objects.filter(completed_at__gte=start),
        "completed_at",
        "unit_completion",
        "unit_id",
        "unit",
        figures,
    )
    attempts = QuizAttempt.objects.filter(created_at__gte=start)
    _by_day(attempts, "created_at", "quiz_attempt", "unit_id", "unit", figures)
    _by_day(attempts.filter(passed=True), "created_at", "quiz_pass", "unit_id", "unit", figures)
    _by_day(
        Certificate.objects.filter(issued_at__gte=start),
        "issued_at",
        "certificate",
        None,
        "",
        figures,
    )
    _by_day(
        Submission.objects.filter(submitted_at__gte=start),
        "submitted_at",
        "digital_check",
        "version__page_id",
        "check",
        figures,
    )
    # A path is completed on the day its last unit was completed by the learner.
    path_units: dict[int, set[int]] = defaultdict(set)
    for path_id, unit_id in PathUnit.objects.values_list("path_id", "unit_id"):
        path_units[path_id].add(unit_id)
    all_units = set().union(*path_units.values()) if path_units else set()
    completed: dict[int, dict[int, dt.datetime]] = defaultdict(dict)
    for learner_id, unit_id, done in UnitProgress.objects.filter(
        unit_id__in=all_units, completed_at__isnull=False
    ).values_list("learner_id", "unit_id", "completed_at"):
        completed[learner_id][unit_id] = done
    for units in completed.values():
        for path_id, needed in path_units.items():
            if needed and needed <= units.keys():
                day = _day(max(units[unit] for unit in needed))
                if day >= since:
                    figures[(day, "path_completion", f"path:{path_id}", "", "")] += 1
                    figures[(day, "path_completion", "all:learning", "", "")] += 1
    return figures


FOLDED_METRICS = (
    "download",
    "private_download",
    "video_play",
    "video_progress",
    "feed_subscribers",
    "page_view",
    "unit_start",
    "unit_completion",
    "path_completion",
    "quiz_attempt",
    "quiz_pass",
    "certificate",
    "digital_check",
)


def fold(*, everything: bool = False, now: dt.datetime | None = None) -> dict:
    """Fold events into daily figures; returns a summary for the command line."""
    from .counting import flush

    flush()  # this process's own unwritten events; other processes write theirs in seconds
    now = now or timezone.now()
    state = FoldState.objects.first()
    since = EPOCH if everything or state is None else state.folded_through - dt.timedelta(days=1)
    figures = count_downloads(_download_rows(since), since)
    figures.update(count_plays(since))
    figures.update(count_feed_subscribers(since))
    figures.update(count_page_views(since))
    figures.update(count_learning(since))
    rows = [
        DailyFigure(
            day=day, metric=metric, subject=subject, dimension=dimension, value=value, count=n
        )
        for (day, metric, subject, dimension, value), n in figures.items()
        if n
    ]
    today = _day(now)
    with transaction.atomic():
        DailyFigure.objects.filter(day__gte=since, metric__in=FOLDED_METRICS).delete()
        DailyFigure.objects.bulk_create(rows, batch_size=5000)
        FoldState.objects.all().delete()
        FoldState.objects.create(folded_through=today, folded_at=now)
    deleted = purge_raw_events(now)
    return {"since": since, "figures": len(rows), "deleted_raw_events": deleted}


def purge_raw_events(now: dt.datetime) -> int:
    """Raw events past the retention are deleted; only folded days can be that old."""
    cutoff = now - dt.timedelta(days=settings.REACH_RAW_RETENTION_DAYS)
    deleted = 0
    for model in (EnclosureRequest, PlayEvent, FeedFetch, PageView):
        deleted += model.objects.filter(Q(at__lt=cutoff)).delete()[0]
    return deleted
