"""Public pages and admin views at the demo's size (S) and a large centre's (L).

Run: .venv/bin/python benchmarks/pages.py   (BENCH_SCALE=small for a quick run)

Builds, in a scratch database (PostgreSQL next to DATABASE_URL's when it is set, dropped
afterwards; else SQLite in a temporary folder), the demo content (S), measures, then adds
with ``cms.core.generate.generate_content`` in each language 1,000 episodes, 200 videos,
500 units with 5 steps, 50 paths and 500 key terms (L; ``BENCH_SCALE=small``: 50, 20, 30,
5, 30) and measures again. Media stay local and the broker is the file system in the
temporary folder (the generator's messages must not reach real workers); the cache is the
configured one under a key prefix of its own.

For each view of issue 15 and each public page type it prints, through Django's test client
and the whole middleware stack (``DEBUG`` off), the p50 of 9 warm requests at S and L, the
queries of one warm request at S and L, and the bytes at L. Beside the p50 it prints the
median CPU time of this process per request (``time.process_time``: the application's own
work, without waiting for the database or for a core), which a machine shared with other
jobs disturbs far less than the wall time; the targets are on the wall time. Targets
(exit status 1 when one is missed): queries at L within ±2 of S; p50 at L <= 1.5 × S; no
public HTML page over 200 KB at L.
"""

from __future__ import annotations

import io
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
SCALE = os.environ.get("BENCH_SCALE", "full")
SIZES = {
    "full": {"episodes": 1000, "videos": 200, "units": 500, "paths": 50, "terms": 500},
    "small": {"episodes": 50, "videos": 20, "units": 30, "paths": 5, "terms": 30},
}
RUNS = 9
QUERY_SLACK = 2
TIME_RATIO = 1.5
HTML_LIMIT = 200_000
ISOLATED = (
    "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "MEDIA_ROOT",
)  # fmt: skip


class Environment:
    """Scratch database and var folder for this run; ``close`` removes them."""

    def __init__(self, folder: Path):
        self.database = None
        self.admin_url = None
        for name in ISOLATED:
            os.environ.pop(name, None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
        os.environ["DEBUG"] = "0"
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        os.environ["LERNFUNK_VAR_DIR"] = str(folder / "var")
        os.environ["CACHE_KEY_PREFIX"] = f"bench-pages-{secrets.token_hex(4)}"
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            parts = urlsplit(url)
            self.database = f"{parts.path.lstrip('/') or 'lernfunk'}_pages_bench"
            self.admin_url = urlunsplit(parts._replace(path="/postgres"))
            self._admin("DROP DATABASE IF EXISTS {}")
            self._admin("CREATE DATABASE {}")
            os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.database}"))

    def _admin(self, query: str, params=()) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL(query).format(sql.Identifier(self.database)), params)

    def close(self) -> None:
        if self.database:
            from django.db import connections

            connections.close_all()
            self._admin(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.database,),
            )
            self._admin("DROP DATABASE IF EXISTS {}")


def views() -> list[tuple[str, str, str]]:
    """(name, kind, URL): kind is "html" (a public HTML page), "xml" or "admin". The same
    objects (the demo's) are measured at S and at L."""
    from django.urls import reverse
    from wagtail.models import Locale

    from cms.core.models import HomePage
    from cms.learning.models import LearningCatalogPage, LearningPathPage, LearningUnitPage
    from cms.podcasts.models import PodcastEpisodePage, PodcastShowPage
    from cms.taxonomy.models import Topic
    from cms.videos.models import ExplainerVideoIndexPage, ExplainerVideoPage, GlossaryPage

    german = Locale.objects.get(language_code="de")
    catalogue = LearningCatalogPage.objects.get(locale=german)
    unit = LearningUnitPage.objects.filter(locale=german).order_by("pk").first()
    topic = Topic.objects.filter(pk__in=unit.topics.values("pk")).first()
    show = PodcastShowPage.objects.get(locale=german)
    video = ExplainerVideoPage.objects.filter(locale=german).order_by("pk").first()
    glossary = GlossaryPage.objects.get(locale=german)
    return [
        ("unit catalogue", "html", catalogue.url),
        (
            "catalogue by topic + level",
            "html",
            f"{catalogue.url}?topic={topic.slug if topic else ''}&level={unit.level_min.slug}",
        ),
        ("podcast show page", "html", show.url),
        ("video index", "html", ExplainerVideoIndexPage.objects.get(locale=german).url),
        ("glossary", "html", glossary.url),
        ("sitemap.xml", "xml", "/sitemap.xml"),
        ("admin: edit a video", "admin", reverse("wagtailadmin_pages:edit", args=[video.pk])),
        ("admin: learning report", "admin", reverse("learning_unit_reports")),
        (
            "admin: key-term snippets",
            "admin",
            reverse("wagtailsnippets_videos_glossaryterm:list"),
        ),
        ("home", "html", HomePage.objects.get(locale=german).url),
        (
            "episode",
            "html",
            PodcastEpisodePage.objects.filter(locale=german).order_by("pk").first().url,
        ),
        ("video", "html", video.url),
        ("unit step", "html", unit.step_url(unit.step_list[1].id)),
        ("path", "html", LearningPathPage.objects.filter(locale=german).order_by("pk")[0].url),
        ("feed", "xml", show.feed_path()),
        # A key term has no page of its own: it is its letter's part of the glossary.
        ("term (glossary letter C)", "html", f"{glossary.url}?letter=C#begriff-cloud"),
    ]


def measure(urls) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    public, admin = Client(), Client()
    admin.force_login(get_user_model().objects.filter(is_superuser=True).first())
    results = {}
    for name, kind, url in urls:
        client = admin if kind == "admin" else public
        response = client.get(url)  # warm-up: caches, renditions, template loading
        body = b"".join(response) if response.streaming else response.content
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            b"".join(response) if response.streaming else response.content  # noqa: B018
        # Read now: the next request's ``reset_queries`` empties the log this slices.
        query_count = len(queries)
        times, cpu = [], []
        for _ in range(RUNS):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            b"".join(response) if response.streaming else response.content  # noqa: B018
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        results[name] = {
            "status": response.status_code,
            "p50": statistics.median(times),
            "cpu": statistics.median(cpu),
            "queries": query_count,
            "bytes": len(body),
        }
        print(
            f"  {name}: {response.status_code} {results[name]['p50'] * 1000:.0f} ms "
            f"(CPU {results[name]['cpu'] * 1000:.0f} ms), "
            f"{query_count} queries, {len(body) / 1000:.0f} KB",
            flush=True,
        )
    return results


def report(urls, small: dict, large: dict) -> bool:
    print()
    header = (
        f"{'view':<28} {'p50 S':>8} {'p50 L':>8} {'ratio':>6} {'CPU S→L':>15} {'queries S→L':>13} "
        f"{'KB at L':>8}  targets"
    )
    print(header)
    print("-" * len(header))
    all_met = True
    for name, kind, _url in urls:
        s, l_ = small[name], large[name]
        ratio = l_["p50"] / s["p50"] if s["p50"] else float("inf")
        missed = []
        if l_["status"] != 200 or s["status"] != 200:
            missed.append(f"HTTP {s['status']}/{l_['status']}")
        if abs(l_["queries"] - s["queries"]) > QUERY_SLACK:
            missed.append("queries")
        if ratio > TIME_RATIO:
            missed.append("time")
        if kind == "html" and l_["bytes"] > HTML_LIMIT:
            missed.append("size")
        all_met &= not missed
        cpu = f"{s['cpu'] * 1000:.0f}→{l_['cpu'] * 1000:.0f}ms"
        cpu_ratio = l_["cpu"] / s["cpu"] if s["cpu"] else float("inf")
        print(
            f"{name:<28} {s['p50'] * 1000:>6.0f}ms {l_['p50'] * 1000:>6.0f}ms {ratio:>5.1f}x "
            f"{cpu:>10} {cpu_ratio:>3.1f}x {s['queries']:>5} → {l_['queries']:<5} "
            f"{l_['bytes'] / 1000:>8.0f}  " + ("✓" if not missed else "✗ " + ", ".join(missed))
        )
    print()
    print(
        f"targets: queries at L = S ±{QUERY_SLACK}; p50 at L <= {TIME_RATIO}× S; public HTML "
        f"<= {HTML_LIMIT // 1000} KB — " + ("all met" if all_met else "MISSED")
    )
    return all_met


def main() -> int:
    if SCALE not in SIZES:
        raise SystemExit(f"BENCH_SCALE must be one of {', '.join(SIZES)}")
    folder = Path(tempfile.mkdtemp(prefix="lernfunk-bench-pages-"))
    environment = None
    try:
        environment = Environment(folder)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        # Not setup_test_environment(): it instruments every template render (the test client
        # keeps a copy of each context), a cost per included card that production never pays.
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        from cms.core.generate import generate_content

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        call_command("migrate", verbosity=0)
        database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
        print(f"configuration: {database}; scale {SCALE} ({SIZES[SCALE]} per language)")
        started = time.monotonic()
        call_command(
            "load_demo_content", admin_password=secrets.token_hex(8), stdout=io.StringIO()
        )
        print(f"S: demo content in {time.monotonic() - started:.1f} s", flush=True)
        urls = views()
        small = measure(urls)

        started = time.monotonic()
        generation = generate_content(**SIZES[SCALE])
        took = time.monotonic() - started
        details = ", ".join(
            f"{name} {generation.created[name]} in {seconds:.1f} s"
            for name, seconds in generation.seconds.items()
        )
        print(f"L: generated in {took:.1f} s ({details})", flush=True)
        large = measure(urls)
        return 0 if report(urls, small, large) else 1
    finally:
        if environment is not None:
            environment.close()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
