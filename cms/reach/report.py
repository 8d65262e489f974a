"""Figures for a period, for the dashboard, the funder report and ``reach_report``.

Every figure derived from fewer than ``MIN_GROUP`` (five) people is suppressed: it is shown as
"fewer than 5" and left out of charts and CSV values (the CSV says "<5"). In a table whose
rows add up to a total shown elsewhere, further rows are hidden where the total minus the
shown rows would reveal a small group (``_hidden_by_complement``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from cms.core.csv_export import SafeCSVWriter

from .models import DailyFigure, FollowUpAnswer, FollowUpAnswerChoice

MIN_GROUP = 5
TOP = 10

TOTALS = [
    ("podcast_downloads", "download", "all:audio", gettext_lazy("Podcast downloads")),
    ("video_podcast_downloads", "download", "all:video", gettext_lazy("Video podcast downloads")),
    (
        "private_downloads",
        "private_download",
        "all:audio",
        gettext_lazy("Downloads from private feeds"),
    ),
    ("video_plays", "video_play", "all:video", gettext_lazy("Video plays")),
    ("page_views", "page_view", "all:web", gettext_lazy("Page views")),
    ("unit_starts", "unit_start", "all:learning", gettext_lazy("Learning units started")),
    (
        "unit_completions",
        "unit_completion",
        "all:learning",
        gettext_lazy("Learning units completed"),
    ),
    (
        "path_completions",
        "path_completion",
        "all:learning",
        gettext_lazy("Learning paths completed"),
    ),
    ("quiz_attempts", "quiz_attempt", "all:learning", gettext_lazy("Quiz attempts")),
    ("quiz_passes", "quiz_pass", "all:learning", gettext_lazy("Quizzes passed")),
    ("certificates", "certificate", "all:learning", gettext_lazy("Certificates")),
    ("digital_checks", "digital_check", "all:learning", gettext_lazy("Digital-Checks completed")),
]

DEFINITIONS = [
    (
        gettext_lazy("Podcast download"),
        gettext_lazy(
            "A GET request for an episode's file that asked for at least one minute of audio "
            "(the whole file for shorter episodes), counted once per listener and episode "
            "within 24 hours from the first request (IAB Podcast Measurement Technical "
            "Guidelines 2.2). Byte ranges are added up, two-byte probes and HEAD requests do "
            "not count, bots and non-listening fetchers (OPAWG lists) are left out. A listener "
            "is a daily-salted hash of network and app, never stored as address or User-Agent."
        ),
    ),
    (
        gettext_lazy("Video play"),
        gettext_lazy(
            "A start of the player reported by the page, counted once per viewer, video and "
            "day; 25/50/75/100 % say how many of them got that far. Plays in embeds are "
            "counted per embedding site."
        ),
    ),
    (
        gettext_lazy("Page view"),
        gettext_lazy(
            "A GET of a published page by a browser that is not a known bot, counted by the "
            "server without cookies; previews do not count. Referring sites are named by host."
        ),
    ),
    (
        gettext_lazy("Completion"),
        gettext_lazy(
            "A learning unit is completed when every required step is done; a learning path "
            "when all its units are. Digital-Checks count when submitted."
        ),
    ),
    (
        gettext_lazy("Suppression"),
        gettext_lazy(
            "Figures from fewer than five people are not shown (“fewer than 5”), so that no "
            "one can be recognised."
        ),
    ),
]


def suppress(value: int | None) -> int | None:
    """None when the figure is too small to show (1 to 4); 0 stays 0."""
    if value is None or 0 < value < MIN_GROUP:
        return None
    return value


@dataclass
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)


def period_from(kind: str, start: str, end: str, today: dt.date) -> Period:
    """month/quarter/year: the current one; custom: start and end (ISO dates)."""
    if kind == "custom":
        try:
            first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        except ValueError as error:
            raise ValueError(_("Enter the start and end as dates (YYYY-MM-DD).")) from error
        if last < first:
            raise ValueError(_("The end must not be before the start."))
        if last.toordinal() - first.toordinal() > 3660:
            raise ValueError(_("A period may be at most ten years long."))
        return Period(first, last)
    if kind == "year":
        return Period(today.replace(month=1, day=1), today.replace(month=12, day=31))
    if kind == "quarter":
        first_month = (today.month - 1) // 3 * 3 + 1
        first = today.replace(month=first_month, day=1)
    else:
        first = today.replace(day=1)
    months = 3 if kind == "quarter" else 1
    year, month = divmod(first.month - 1 + months, 12)
    return Period(first, first.replace(year=first.year + year, month=month + 1) - dt.timedelta(1))


def _sum(period: Period, **filters) -> int:
    total = DailyFigure.objects.filter(
        day__gte=period.start, day__lte=period.end, **filters
    ).aggregate(n=Sum("count"))["n"]
    return total or 0


def _grouped(period: Period, key: str, **filters) -> Counter:
    rows = (
        DailyFigure.objects.filter(day__gte=period.start, day__lte=period.end, **filters)
        .values(key)
        .annotate(n=Sum("count"))
    )
    return Counter({row[key]: row["n"] for row in rows})


@dataclass
class Row:
    label: str
    value: int | None
    share: float = 0.0  # of the largest shown value, for the bar charts


@dataclass
class Table:
    title: str
    rows: list[Row] = field(default_factory=list)
    suppressed: int = 0  # groups left out: too small, or they would reveal a small one
    slug: str = ""  # the heading's id


def _hidden_by_complement(ranked: list[tuple], limit: int | None) -> set:
    """Keys of the groups that must stay hidden, small groups included.

    A table's groups add up to a total shown elsewhere (all downloads, all plays), so what is
    not shown can be worked out as the total minus the rows that are: one hidden group of
    three would be revealed by the others. Secondary suppression, as statistical offices do
    it: while the groups not shown (the small ones and those below the top ``limit``) are a
    single group or add up to fewer than ``MIN_GROUP``, the smallest shown group is hidden
    too."""
    small = {key for key, n in ranked if 0 < n < MIN_GROUP}
    shown = [(key, n) for key, n in ranked if key not in small and n > 0]
    if limit is not None:
        shown = shown[:limit]
    residual = [n for key, n in ranked if n > 0 and key not in dict(shown)]
    hidden = set(small)
    while residual and (len(residual) == 1 or sum(residual) < MIN_GROUP) and shown:
        key, n = shown.pop()  # the smallest shown group
        hidden.add(key)
        residual.append(n)
    return hidden


def _table(title: str, counts: Counter, labels=None, limit: int | None = TOP) -> Table:
    table = Table(str(title))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    hidden = _hidden_by_complement(ranked, limit)
    for key, n in ranked:
        shown = suppress(n)
        if shown is None or key in hidden:
            table.suppressed += 1
            continue
        if limit is None or len(table.rows) < limit:
            label = labels(key) if labels else key
            table.rows.append(Row(label or _("unknown"), shown))
    largest = max((row.value for row in table.rows), default=0)
    for row in table.rows:
        row.share = row.value / largest if largest else 0.0
    return table


def _titles(subjects) -> dict[str, str]:
    numbered = {s: int(s.partition(":")[2]) for s in subjects if s.partition(":")[2].isdigit()}
    titles = dict(Page.objects.filter(pk__in=numbered.values()).values_list("pk", "title"))
    return {s: titles.get(pk, s) for s, pk in numbered.items()}


def _levels_of(subjects: list[str]) -> dict[str, list[str]]:
    """Maturity levels of episodes, videos (chosen) and units (from … up to)."""
    from cms.learning.models import LearningUnitPage
    from cms.podcasts.models import PodcastEpisodePage
    from cms.taxonomy.models import MaturityLevel
    from cms.videos.models import ExplainerVideoPage

    ids = defaultdict(set)
    for subject in subjects:
        prefix, _sep, pk = subject.partition(":")
        if pk.isdigit():
            ids[prefix].add(int(pk))
    levels: dict[str, list[str]] = defaultdict(list)
    for prefix, model in (("episode", PodcastEpisodePage), ("video", ExplainerVideoPage)):
        pairs = model.objects.filter(pk__in=ids[prefix], maturity_levels__isnull=False)
        for page_id, name in pairs.values_list("pk", "maturity_levels__name"):
            levels[f"{prefix}:{page_id}"].append(name)
    ordered = list(MaturityLevel.objects.order_by("sort_order", "pk").values_list("pk", "name"))
    position = {pk: index for index, (pk, _name) in enumerate(ordered)}
    for unit_id, low, high in LearningUnitPage.objects.filter(pk__in=ids["unit"]).values_list(
        "pk", "level_min_id", "level_max_id"
    ):
        first, last = position.get(low, 0), position.get(high, 0)
        for _pk, name in ordered[min(first, last) : max(first, last) + 1]:
            levels[f"unit:{unit_id}"].append(name)
    return levels


def _by_level(counts: Counter) -> Counter:
    levels = _levels_of(list(counts))
    result: Counter = Counter()
    for subject, n in counts.items():
        for level in levels.get(subject) or [_("no maturity level")]:
            result[level] += n
    return result


def _topics_of(subjects: list[str]) -> dict[str, list[str]]:
    """Topics of episodes, videos and units (an item with two topics counts in both)."""
    from cms.learning.models import LearningUnitPage
    from cms.podcasts.models import PodcastEpisodePage
    from cms.videos.models import ExplainerVideoPage

    ids = defaultdict(set)
    for subject in subjects:
        prefix, _sep, pk = subject.partition(":")
        if pk.isdigit():
            ids[prefix].add(int(pk))
    topics: dict[str, list[str]] = defaultdict(list)
    for prefix, model in (
        ("episode", PodcastEpisodePage),
        ("video", ExplainerVideoPage),
        ("unit", LearningUnitPage),
    ):
        pairs = model.objects.filter(pk__in=ids[prefix], topics__isnull=False)
        for page_id, name in pairs.values_list("pk", "topics__name"):
            topics[f"{prefix}:{page_id}"].append(name)
    return topics


def _by_topic(counts: Counter) -> Counter:
    topics = _topics_of(list(counts))
    result: Counter = Counter()
    for subject, n in counts.items():
        for topic in topics.get(subject) or [_("no topic")]:
            result[topic] += n
    return result


def build_report(period: Period) -> dict:
    previous = period.previous()
    totals = []
    raw_totals = {}
    for key, metric, subject, label in TOTALS:
        current = _sum(period, metric=metric, subject=subject, dimension="")
        before = _sum(previous, metric=metric, subject=subject, dimension="")
        raw_totals[key] = current
        totals.append(
            {
                "key": key,
                "label": str(label),
                "value": suppress(current),
                "previous": suppress(before),
            }
        )

    downloads = _grouped(
        period, "subject", metric="download", dimension="", subject__regex=r"^(episode|video):"
    )
    plays = _grouped(
        period, "subject", metric="video_play", dimension="", subject__startswith="video:"
    )
    completions = _grouped(
        period, "subject", metric="unit_completion", dimension="", subject__startswith="unit:"
    )
    paths = _grouped(
        period, "subject", metric="path_completion", dimension="", subject__startswith="path:"
    )
    pages = _grouped(
        period, "subject", metric="page_view", dimension="", subject__startswith="page:"
    )
    titles = _titles(list(downloads) + list(plays) + list(completions) + list(paths) + list(pages))

    def title(subject):
        return titles.get(subject, subject)

    audio = Counter({s: n for s, n in downloads.items() if s.startswith("episode:")})
    video_downloads = Counter({s: n for s, n in downloads.items() if s.startswith("video:")})
    tables = [
        _table(_("Top episodes (downloads)"), audio, title),
        _table(_("Top videos in the video podcast (downloads)"), video_downloads, title),
        _table(_("Top videos (plays)"), plays, title),
        _table(_("Top learning units (completions)"), completions, title),
        _table(_("Learning paths (completions)"), paths, title),
        _table(
            _("Downloads by app"),
            _grouped(period, "value", metric="download", subject="all:audio", dimension="app"),
        ),
        _table(
            _("Downloads by platform"),
            _grouped(
                period, "value", metric="download", subject="all:audio", dimension="platform"
            ),
        ),
        _table(
            _("Video plays by embedding site"),
            _grouped(period, "value", metric="video_play", subject="all:video", dimension="embed"),
        ),
        _table(
            _("Video plays: how far viewers got (%)"),
            _grouped(
                period,
                "value",
                metric="video_progress",
                subject="all:video",
                dimension="milestone",
            ),
            limit=None,
        ),
        _table(
            _("Podcast subscribers reported by apps (sum of daily highest)"),
            _grouped(period, "value", metric="feed_subscribers", dimension="app"),
        ),
    ]
    breakdowns = [
        _table(_("Downloads by topic"), _by_topic(audio + video_downloads), limit=None),
        _table(_("Video plays by topic"), _by_topic(plays), limit=None),
        _table(_("Unit completions by topic"), _by_topic(completions), limit=None),
        _table(_("Downloads by maturity level"), _by_level(audio + video_downloads), limit=None),
        _table(_("Video plays by maturity level"), _by_level(plays), limit=None),
        _table(_("Unit completions by maturity level"), _by_level(completions), limit=None),
    ]

    answers = FollowUpAnswer.objects.filter(
        answered_on__gte=period.start.replace(day=1), answered_on__lte=period.end
    )
    answer_counts = Counter(answers.values_list("answer", flat=True))
    choices = dict(FollowUpAnswerChoice.choices)
    follow_up = _table(
        _("Follow-up: have learners put it into practice?"),
        Counter({str(choices[key]): n for key, n in answer_counts.items()}),
        limit=None,
    )
    # Free texts are shown only when at least five learners answered in the period.
    texts = []
    if sum(answer_counts.values()) >= MIN_GROUP:
        texts = sorted(t for t in answers.exclude(text="").values_list("text", flat=True))
    for number, table in enumerate([*tables, *breakdowns, follow_up], start=1):
        table.slug = f"reach-table-{number}"
    return {
        "period": period,
        "previous": previous,
        "totals": totals,
        "raw_totals": raw_totals,
        "tables": [*tables, *breakdowns],
        "content_tables": tables,
        "breakdowns": breakdowns,  # by topic and maturity level
        "follow_up": follow_up,
        "follow_up_texts": texts,
        "definitions": [(str(term), str(text)) for term, text in DEFINITIONS],
    }


def json_totals(report: dict) -> dict:
    """The command line's JSON: totals of the period (suppressed figures as null)."""
    result = {"start": report["period"].start.isoformat(), "end": report["period"].end.isoformat()}
    for total in report["totals"]:
        result[total["key"]] = total["value"]
    return result


def report_csv(report: dict) -> str:
    buffer = io.StringIO()
    writer = SafeCSVWriter(buffer)  # titles and learners' texts never arrive as formulas
    period = report["period"]
    writer.writerow([_("Reach and impact"), period.start.isoformat(), period.end.isoformat()])
    writer.writerow([])
    writer.writerow([_("Section"), _("Item"), _("Value"), _("Previous period")])

    def cell(value):
        return "<5" if value is None else value

    for total in report["totals"]:
        writer.writerow(
            [_("Totals"), total["label"], cell(total["value"]), cell(total["previous"])]
        )
    for table in [*report["tables"], report["follow_up"]]:
        for row in table.rows:
            writer.writerow([table.title, row.label, row.value, ""])
        if table.suppressed:
            label = _("groups not shown (fewer than 5 people, or they would reveal such a group)")
            writer.writerow([table.title, label, table.suppressed, ""])
    for text in report["follow_up_texts"]:
        writer.writerow([_("Follow-up answers in the learners' words"), text, "", ""])
    writer.writerow([])
    for term, text in report["definitions"]:
        writer.writerow([_("Definition"), term, text, ""])
    return buffer.getvalue()


@dataclass
class ItemFigure:
    label: str
    last_30_days: int | None  # None: fewer than MIN_GROUP
    total: int | None


def item_figures(page, today: dt.date) -> list[ItemFigure]:
    """An episode's or a video's own figures (up to the last fold): downloads, and for videos
    plays, over the last 30 days and in all, suppressed like the dashboard's."""
    from cms.videos.models import ExplainerVideoPage

    subject = f"{'video' if isinstance(page, ExplainerVideoPage) else 'episode'}:{page.pk}"
    metrics = [("download", _("Downloads"))]
    if subject.startswith("video:"):
        metrics = [("download", _("Downloads in the video podcast")), ("video_play", _("Plays"))]
    recent = Period(today - dt.timedelta(days=29), today)
    figures = []
    for metric, label in metrics:
        rows = DailyFigure.objects.filter(metric=metric, subject=subject, dimension="")
        total = rows.aggregate(n=Sum("count"))["n"] or 0
        figures.append(
            ItemFigure(
                str(label),
                suppress(_sum(recent, metric=metric, subject=subject, dimension="")),
                suppress(total),
            )
        )
    return figures
