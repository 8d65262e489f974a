"""Static archive export at the demo's size (S) and a large centre's (L), full and incremental.

Run: .venv/bin/python benchmarks/static_export.py [--scale small] [--episodes N --units N]

Builds, in a scratch database (PostgreSQL next to DATABASE_URL's when it is set, dropped
afterwards; else SQLite in a temporary folder), the demo content (S), then grows it with
``cms.core.generate.generate_content`` to 1,000 episodes and 500 units per language (L;
``--scale small``: 50 and 30; ``--episodes``/``--units``/``--videos``/``--paths``/``--terms``
override). Media stay local and the broker is the file system in the temporary folder.

At each size it exports into a fresh folder and prints, for
1. the full export: wall and CPU time, files, MB, pages rendered;
2. an incremental run with nothing changed;
3. an incremental run after one episode changed (the demo's first German episode gets a new
   title and is published through Wagtail's revisions, as an editor would):
wall and CPU time, pages rendered and reused, files written, and the ratio incremental /
full against the target of issue 21 (≤ 5 %). Exit status 1 when the target is missed at L.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
SIZES = {
    "full": {"episodes": 1000, "units": 500, "videos": 0, "paths": 0, "terms": 0},
    "small": {"episodes": 50, "units": 30, "videos": 0, "paths": 0, "terms": 0},
}
TARGET = 0.05
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
        os.environ["CACHE_KEY_PREFIX"] = f"bench-export-{secrets.token_hex(4)}"
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            parts = urlsplit(url)
            self.database = f"{parts.path.lstrip('/') or 'lernfunk'}_export_bench"
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


def run(dest: Path, *, incremental: bool) -> dict:
    from cms.archive.export import export_static_site

    started, started_cpu = time.perf_counter(), time.process_time()
    report = export_static_site(dest, incremental=incremental)
    wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    if report.errors:
        raise SystemExit(f"export failed: {report.errors[:5]}")
    files = [path for path in dest.rglob("*") if path.is_file()]
    return {
        "wall": wall,
        "cpu": cpu,
        "files": report.total,
        "mb": sum(path.stat().st_size for path in files) / 1e6,
        "rendered": len(report.rendered),
        "reused": len(report.reused),
        "written": len(report.written),
        "removed": len(report.removed),
    }


def change_one_episode() -> str:
    from wagtail.models import Locale

    from cms.podcasts.models import PodcastEpisodePage

    german = Locale.objects.get(language_code="de")
    episode = PodcastEpisodePage.objects.live().filter(locale=german).order_by("pk").first()
    episode.title = f"{episode.title} ({secrets.token_hex(2)})"
    episode.save_revision().publish()
    return episode.url


def measure(label: str, folder: Path) -> dict:
    dest = folder / f"archive-{label}"
    shutil.rmtree(dest, ignore_errors=True)
    results = {"full": run(dest, incremental=False)}
    results["unchanged"] = run(dest, incremental=True)
    url = change_one_episode()
    results["one episode"] = run(dest, incremental=True)
    for name, figures in results.items():
        print(
            f"  {label} {name}: {figures['wall']:.1f} s (CPU {figures['cpu']:.1f} s), "
            f"{figures['files']} files, {figures['mb']:.1f} MB; rendered {figures['rendered']}, "
            f"reused {figures['reused']}, written {figures['written']}, "
            f"removed {figures['removed']}",
            flush=True,
        )
    print(f"  {label}: changed {url}", flush=True)
    return results


def report(results: dict[str, dict]) -> bool:
    print()
    header = (
        f"{'size':<4} {'full s':>8} {'files':>7} {'MB':>7} {'unchanged s':>12} "
        f"{'1 episode s':>12} {'rendered':>9} {'ratio':>7}  target ≤ {TARGET:.0%}"
    )
    print(header)
    print("-" * len(header))
    met = True
    for label, figures in results.items():
        full, unchanged, changed = figures["full"], figures["unchanged"], figures["one episode"]
        ratio = changed["wall"] / full["wall"]
        ok = ratio <= TARGET
        if label == "L":
            met = ok
        print(
            f"{label:<4} {full['wall']:>8.1f} {full['files']:>7} {full['mb']:>7.1f} "
            f"{unchanged['wall']:>12.1f} {changed['wall']:>12.1f} "
            f"{changed['rendered']:>9} {ratio:>7.1%}  {'met' if ok else 'MISSED'}"
            f" (CPU ratio {changed['cpu'] / full['cpu']:.1%})"
        )
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", choices=sorted(SIZES), default="full")
    for name in SIZES["full"]:
        parser.add_argument(f"--{name}", type=int, help=f"{name} per language at L")
    parser.add_argument("--skip-large", action="store_true", help="measure the demo only")
    options = parser.parse_args()
    sizes = {
        name: getattr(options, name) if getattr(options, name) is not None else default
        for name, default in SIZES[options.scale].items()
    }
    folder = Path(tempfile.mkdtemp(prefix="lernfunk-bench-export-"))
    environment = None
    try:
        environment = Environment(folder)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        from cms.core.generate import generate_content

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        call_command("migrate", verbosity=0)
        database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
        print(f"configuration: {database}; L = demo + {sizes} per language")
        started = time.monotonic()
        call_command(
            "load_demo_content", admin_password=secrets.token_hex(8), stdout=io.StringIO()
        )
        print(f"S: demo content in {time.monotonic() - started:.1f} s", flush=True)
        results = {"S": measure("S", folder)}
        if not options.skip_large:
            started = time.monotonic()
            generation = generate_content(**sizes)
            details = ", ".join(
                f"{name} {generation.created[name]}" for name in generation.seconds
            )
            print(f"L: generated in {time.monotonic() - started:.1f} s ({details})", flush=True)
            results["L"] = measure("L", folder)
        return 0 if report(results) else 1
    finally:
        if environment is not None:
            environment.close()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
