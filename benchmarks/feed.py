"""Podcast feed of a 1,000-episode show: cold, cached and 304 responses vs the pure builder.

Run: .venv/bin/python benchmarks/feed.py   (about 2 minutes; BENCH_PROFILE=1 adds a cProfile
of one cold request)

Builds, in a throwaway SQLite database under a temporary folder, a published show (1400 × 1400
cover art, hosts, a funding link) on the default site with 1,000 live episodes, each with READY
MP3 and AAC renditions and show notes with an internal page link, some with people, chapters
and a transcript. The first 100 are published through Wagtail's revisions as editors do, the
rest are created live with one revision each (same rows, twice as fast). Then prints, through
``django.test.Client`` and the whole middleware stack (``DEBUG`` off):

- the cold feed (median of several requests, each after ``CacheGeneration.bump("podcasts")`` so the
  cache misses) and its query count, at 100 and at 1,000 episodes;
- the cached feed (plain and gzipped) and the conditional GET answered 304 by ETag (medians);
- the floor: ``feeds.podcast.build_podcast_feed`` serialising the same 1,000 items from plain
  in-memory objects, and where a cold build spends its time (``select_feed_episodes``,
  ``build_feed_data``, the builder), measured in turn with the cold requests so that all see
  the same load;
- the ratios with their targets (✓/✗): cold/floor <= 2x, cached/cold <= 5 %, <= 10 queries
  whatever the episode count, and the most repeated statements when the count grows; the
  feed size.

BENCH_EPISODES (default 1000) and BENCH_RUNS (rounds per median, default 7) change the
workload. The reference index (the admin's usage tab, which no feed reads) is not updated
while the episodes are created.
"""

import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPISODES = int(os.environ.get("BENCH_EPISODES", "1000"))
SMALL = min(100, EPISODES)
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
PROFILE = os.environ.get("BENCH_PROFILE", "") not in ("", "0")
HOST = "podcast.example.org"

TARGET_COLD_FLOOR = 2.0
TARGET_CACHED_COLD = 0.05
TARGET_QUERIES = 10

SHOW_NOTES = (
    "<p>In dieser Folge spricht {guest} darüber, wie ein Betrieb mit {staff} Beschäftigten "
    "die Auftragsplanung digitalisiert hat – von der ersten Excel-Liste bis zum ERP.</p>"
    "<h3>Themen</h3><ul><li>Warum die Zettelwirtschaft nicht mehr reichte</li>"
    "<li>Förderprogramme und was sie wirklich kosten</li>"
    "<li>Wie das Team mitgenommen wurde</li></ul>"
    '<p>Mehr zum Podcast auf unserer <a linktype="page" id="{show_id}">Übersichtsseite</a>, '
    'Unterlagen unter <a href="https://example.org/folge-{number}">example.org</a>.</p>'
)
TRANSCRIPT = "WEBVTT\n\n" + "".join(
    f"00:{m:02d}:00.000 --> 00:{m:02d}:05.000\nSatz {m} des Transkripts.\n\n" for m in range(30)
)


def setup_django(var_dir: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        LERNFUNK_VAR_DIR=str(var_dir),
        ALLOWED_HOSTS=HOST,
        DEBUG="false",
        LOG_LEVEL="WARNING",
        CELERY_BROKER_URL="filesystem://",
    )
    for name in (
        "DATABASE_URL",
        "CACHE_URL",
        "REDIS_URL",
        "MEDIA_ROOT",
        "MEDIA_URL",
        "AWS_STORAGE_BUCKET_NAME",
        "AWS_S3_ENDPOINT_URL",
    ):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def png(size: int, color: tuple[int, int, int]) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (size, size), color).save(buffer, format="PNG")
    return buffer.getvalue()


def build_site():
    """The default site's home page, a published show with hosts, and a pool of people."""
    from django.core.files.base import ContentFile
    from wagtail.models import Locale, Page, Site

    from cms.core.models import HomePage
    from cms.images.models import CustomImage
    from cms.people.models import Person
    from cms.podcasts.models import PodcastShowPage, ShowFundingLink, ShowHost

    german = Locale.objects.get_or_create(language_code="de")[0]
    home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Startseite", slug="start", locale=german)
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": HOST, "port": 80}
    )
    cover, portrait = (
        CustomImage.objects.create(
            title=title,
            credit="Foto: Bench",
            file=ContentFile(png(size, color), name=f"{title.lower()}.png"),
            width=size,
            height=size,
        )
        for title, size, color in (
            ("Cover", 1400, (11, 83, 148)),
            ("Portrait", 400, (200, 90, 40)),
        )
    )
    people = [
        Person(
            name=f"Person {i}",
            role="Referentin",
            organisation="Mittelstand-Digital Zentrum",
            photo=portrait if i % 3 == 0 else None,
            link=f"https://example.org/personen/{i}" if i % 2 == 0 else "",
            locale=german,
        )
        for i in range(20)
    ]
    Person.objects.bulk_create(people)
    people = list(Person.objects.order_by("pk"))

    show = PodcastShowPage(
        title="Smarter Mittelstand",
        slug="smarter-mittelstand",
        subtitle="Praxisgeschichten aus dem Mittelstand",
        description="<p>Wie kleine und mittlere Unternehmen die Digitalisierung anpacken.</p>",
        owner_name="Mittelstand-Digital Zentrum",
        owner_email="podcast@example.org",
        author="Mittelstand-Digital Zentrum",
        category_1="Business › Management",
        copyright="© Mittelstand-Digital Zentrum",
        artwork=cover,
        locale=german,
        live=False,
    )
    show.hosts = [
        ShowHost(person=people[0], role="host", sort_order=0),
        ShowHost(person=people[1], role="co-host", sort_order=1),
    ]
    show.funding_links = [
        ShowFundingLink(url="https://example.org/foerderung", text="Gefördert vom BMWK")
    ]
    home.add_child(instance=show)
    show.save_revision().publish()
    show.refresh_from_db()
    return show, people


def add_episodes(show, people, start: int, stop: int, *, publish: bool) -> None:
    """Episodes ``start`` … ``stop - 1`` of ``show``, one a week, live with one revision each.

    ``publish``: through ``save_revision().publish()``, as an editor does (about 0.1 s an
    episode); otherwise created live with ``first_published_at`` and ``live_revision`` set to
    their one revision, which leaves the same rows minus the log entries, twice as fast.
    """
    from django.db import transaction
    from django.utils import timezone
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from cms.podcasts.models import EpisodeChapter, EpisodePerson, PodcastEpisodePage
    from media_pipeline.models import MediaFile, MediaKind, MediaRendition, RenditionStatus
    from media_pipeline.specs import PODCAST_AAC_SPEC, PODCAST_MP3_SPEC

    first_week = timezone.now() - timedelta(weeks=EPISODES + 1)
    # The reference index (the admin's usage tab) is left out to save a third of the time: no
    # feed reads it.
    with transaction.atomic(), disable_reference_index_auto_update():
        durations = {n: 900.0 + (n * 37) % 2700 for n in range(start, stop)}
        media = MediaFile.objects.bulk_create(
            MediaFile(
                title=f"Folge {n + 1}",
                file=f"media/sources/folge-{n + 1}.wav",
                kind=MediaKind.AUDIO,
                duration=durations[n],
                file_size=int(durations[n] * 192_000),
                file_hash=f"{n:064x}",
                source_status="ready",
            )
            for n in range(start, stop)
        )
        renditions = []
        for n, media_file in zip(range(start, stop), media, strict=True):
            for spec, extension, mime, bitrate in (
                (PODCAST_MP3_SPEC, "mp3", "audio/mpeg", 128_000),
                (PODCAST_AAC_SPEC, "m4a", "audio/mp4", 96_000),
            ):
                renditions.append(
                    MediaRendition(
                        media_file=media_file,
                        spec=spec,
                        status=RenditionStatus.READY,
                        progress=100,
                        file=f"media/renditions/folge-{n + 1}.{extension}",
                        file_size=int(durations[n] * bitrate / 8) + 4_000,
                        mime_type=mime,
                        duration=durations[n],
                        bitrate=bitrate,
                        source_hash=media_file.file_hash,
                    )
                )
        MediaRendition.objects.bulk_create(renditions)

        for n, media_file in zip(range(start, stop), media, strict=True):
            episode = PodcastEpisodePage(
                title=f"Folge {n + 1}: Digitalisierung im Handwerk",
                slug=f"folge-{n + 1}",
                summary="Eine Tischlerei stellt auf digitale Auftragsplanung um. " * 3,
                show_notes=SHOW_NOTES.format(
                    guest=people[n % len(people)].name, staff=10 + n, show_id=show.pk, number=n
                ),
                audio=media_file,
                episode_number=n + 1,
                season_number=n // 50 + 1,
                transcript=TRANSCRIPT if n % 4 == 0 else "",
                first_published_at=first_week + timedelta(weeks=n),
                last_published_at=None if publish else first_week + timedelta(weeks=n),
                locale=show.locale,
                live=not publish,
            )
            if n % 3 == 0:
                episode.persons = [
                    EpisodePerson(person=people[0], role="host", sort_order=0),
                    EpisodePerson(person=people[2 + n % 18], role="guest", sort_order=1),
                ]
            if n % 5 == 0:
                episode.chapters = [
                    EpisodeChapter(start=timedelta(minutes=m * 5), title=f"Kapitel {m + 1}")
                    for m in range(4)
                ]
            show.add_child(instance=episode)
            if publish:
                episode.save_revision().publish()
            else:
                revision = episode.save_revision(changed=False, log_action=False)
                type(episode).objects.filter(pk=episode.pk).update(live_revision=revision)


def median_time(func, runs: int, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def check(ok: bool) -> str:
    return "✓" if ok else "✗"


def query_summary(statements: list[str], top: int = 5) -> list[str]:
    """The most repeated statements (numbers folded), to show what grows with the episodes."""
    counts = Counter(re.sub(r"\d+", "N", sql)[:160] for sql in statements)
    return [f"{count:5d} × {sql}" for sql, count in counts.most_common(top)]


def main():
    with tempfile.TemporaryDirectory(prefix="lernfunk-feed-bench-") as folder:
        setup_django(Path(folder))
        run()


def run() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from cms.core.models import CacheGeneration
    from feeds.podcast import build_podcast_feed
    from feeds.selectors import (
        build_feed_data,
        find_restricted_paths,
        get_feed_data,
        get_feed_show,
        select_feed_episodes,
    )

    client = Client(HTTP_HOST=HOST)
    show, people = build_site()
    path = show.feed_path()

    def get(**headers):
        response = client.get(path, **headers)
        assert response.status_code in (200, 304), response.status_code
        return response

    def cold_queries() -> list[str]:
        CacheGeneration.bump(CacheGeneration.PODCASTS)
        with CaptureQueriesContext(connection) as queries:
            get()
        return [q["sql"] for q in queries.captured_queries]

    started = time.perf_counter()
    print(f"publishing {SMALL} episodes through revisions …", flush=True)
    add_episodes(show, people, 0, SMALL, publish=True)
    print(f"  {time.perf_counter() - started:.1f} s", flush=True)
    get()  # the cover art rendition is made once, on the first build
    small_queries = len(cold_queries())
    small_cold = median_time(
        get, RUNS, before=lambda: CacheGeneration.bump(CacheGeneration.PODCASTS)
    )

    started = time.perf_counter()
    print(f"adding {EPISODES - SMALL} more, live with one revision each …", flush=True)
    add_episodes(show, people, SMALL, EPISODES, publish=False)
    CacheGeneration.bump(CacheGeneration.PODCASTS)  # no page_published signal on this path
    print(f"  {time.perf_counter() - started:.1f} s", flush=True)

    xml = get().content
    items = xml.count(b"<item>")
    sql = cold_queries()

    # The floor: the pure builder on plain objects fetched once.
    restricted = find_restricted_paths()
    page = get_feed_show(show.pk, restricted)
    base_url = page.get_site().root_url
    feed_show, feed_episodes = get_feed_data(page, base_url)
    floor_xml = build_podcast_feed(feed_show, feed_episodes, base_url)

    # Cold request, the stages of a cold build (outside the request cycle) and the floor in
    # turn, so that all of them see the same load on the machine; medians over RUNS rounds.
    times = {"cold": [], "select": [], "data": [], "builder": [], "floor": []}
    for _ in range(RUNS):
        CacheGeneration.bump(CacheGeneration.PODCASTS)
        t0 = time.perf_counter()
        get()
        t1 = time.perf_counter()
        paths = find_restricted_paths()
        with translation.override(page.language):
            episodes = select_feed_episodes(get_feed_show(show.pk, paths), restricted_paths=paths)
            t2 = time.perf_counter()
            data = build_feed_data(page, episodes, None, base_url)
        t3 = time.perf_counter()
        build_podcast_feed(*data, base_url)
        t4 = time.perf_counter()
        build_podcast_feed(feed_show, feed_episodes, base_url)
        t5 = time.perf_counter()
        for name, seconds in zip(
            times, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True
        ):
            times[name].append(seconds)
    stage = {name: statistics.median(values) * 1e3 for name, values in times.items()}
    cold, floor = stage["cold"] / 1e3, stage["floor"] / 1e3

    get()  # fill the cache
    etag = get()["ETag"]
    cached = median_time(get, 50)
    get(HTTP_ACCEPT_ENCODING="gzip")  # compressed once per feed generation
    cached_gzip = median_time(lambda: get(HTTP_ACCEPT_ENCODING="gzip"), 50)
    gzip_size = len(get(HTTP_ACCEPT_ENCODING="gzip").content)
    not_modified = median_time(lambda: get(HTTP_IF_NONE_MATCH=etag), 200)
    assert get(HTTP_IF_NONE_MATCH=etag).status_code == 304

    def row(label: str, text: str) -> None:
        print(f"{label:37s}{text}")

    print()
    print(
        f"show: {items} live episodes (MP3 + AAC each; people on 1/3, chapters on 1/5, "
        f"transcript on 1/4), SQLite, locmem cache, DEBUG off, {os.cpu_count()} cores"
    )
    row("feed size:", f"{len(xml):,} bytes ({len(xml) / items:.0f} per item)")
    row("floor (build_podcast_feed only):", f"{floor * 1e3:7.1f} ms")
    row(f"cold feed, {SMALL:>4} episodes:", f"{small_cold * 1e3:7.1f} ms")
    row(f"cold feed, {items:>4} episodes:", f"{cold * 1e3:7.1f} ms, of which")
    row("  select_feed_episodes + show:", f"{stage['select']:7.1f} ms")
    row("  build_feed_data:", f"{stage['data']:7.1f} ms  (links, show notes, people)")
    row("  build_podcast_feed:", f"{stage['builder']:7.1f} ms")
    row("cached feed:", f"{cached * 1e3:7.2f} ms")
    row("cached feed, gzip:", f"{cached_gzip * 1e3:7.2f} ms  ({gzip_size:,} bytes on the wire)")
    row("conditional GET (304 by ETag):", f"{not_modified * 1e3:7.2f} ms")
    ratio, share, queries = cold / floor, cached / cold, len(sql)
    row(
        "ratio cold/floor:",
        f"{ratio:7.2f}x  (target <= {TARGET_COLD_FLOOR:.0f}x) {check(ratio <= TARGET_COLD_FLOOR)}",
    )
    row(
        "ratio cached/cold:",
        f"{share:7.1%}   (target <= {TARGET_CACHED_COLD:.0%}) "
        f"{check(share <= TARGET_CACHED_COLD)}",
    )
    row(
        "queries, cold feed:",
        f"{small_queries} at {SMALL}, {queries} at {items} episodes  (target <= "
        f"{TARGET_QUERIES}, not growing) "
        f"{check(queries <= TARGET_QUERIES and queries == small_queries)}",
    )
    row("floor output = served feed:", "yes" if floor_xml == xml else "no")
    if queries > TARGET_QUERIES or queries != small_queries:
        print("most repeated queries of one cold feed:")
        for line in query_summary(sql):
            print(f"  {line}")

    if PROFILE:
        CacheGeneration.bump(CacheGeneration.PODCASTS)
        profiler = cProfile.Profile()
        profiler.enable()
        get()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(
            int(os.environ.get("BENCH_PROFILE_LINES", "45"))
        )
        print()
        print("cProfile of one cold request (cumulative):")
        print(out.getvalue())


if __name__ == "__main__":
    main()
