"""The media pipeline under faults, at scale: the same work once without faults (baseline) and
once with worker kills, database blips, lost broker messages and a tiny work disk.

Run: .venv/bin/python benchmarks/faults.py   (BENCH_SCALE=small for a quick run; BENCH_REPEAT
rounds of baseline and faults, alternating, default 3, the median ratio reported)

The work: 5 videos (a three-rung ladder, HLS, poster, sprite, audio-only AAC each) and 4
podcast episodes (MP3, AAC, waveform each), at least 40 renditions, made by two real Celery
workers (``--queues media``, concurrency 1, prefetch multiplier 1) on the configured
database, broker and storage; the watchdog (``services.requeue_stale_renditions``, what beat
runs) every 2 s with short thresholds, in both runs. The faults, spread over the baseline's
duration:

- 5 worker kills (SIGKILL of the worker holding a batch mid-encode, the longer-running attempt
  of two, restarted at once, as a supervisor does; no batch is killed ``MEDIA_MAX_ATTEMPTS``
  times, which fails it on purpose as an input that kills workers);
- 3 database blips (every worker connection terminated; PostgreSQL only);
- lost messages (the broker's ``media`` queue emptied twice: Redis ``DEL``, or the queue's
  files on the file-system broker);
- a tiny work disk (a tmpfs a little larger than the largest batch ever needed, so two big
  batches side by side run out of space; skipped where ``mount`` is not permitted).

Prints renditions, ready, failed, stuck, duplicates, invalid files (every stored object probed
with ffprobe or checked), partial HLS, leftovers (work folder, ffmpeg processes, orphan
objects in storage) and the wall time with faults against without (target <= 1.5x). Exits 1
if anything but the wall time is off.

Configuration as in .ci/run: with DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis),
REDIS_URL and AWS_* set it runs there — in a scratch database created next to DATABASE_URL's
and under a scratch prefix (AWS_LOCATION) of the bucket, both removed afterwards; with none
set, on the embedded default (SQLite, file-system broker, local media) in a temporary folder.
Stops by itself (BENCH_TIMEOUT seconds per run, default 900) and kills its workers.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SCALES = {
    "full": {"video_seconds": 20, "video_size": "1280x720", "audio_seconds": 120},
    "small": {"video_seconds": 6, "video_size": "854x480", "audio_seconds": 30},
}
SCALE = os.environ.get("BENCH_SCALE", "full")
VIDEOS, AUDIOS, WORKERS = 5, 4, 2
KILLS, BLIPS = 5, 3
# Fractions of the baseline's wall time at which each fault is injected.
KILL_AT = (0.10, 0.25, 0.40, 0.55, 0.70)
BLIP_AT = (0.18, 0.47, 0.62)
DROP_AT = (0.0, 0.33)
HEARTBEAT_TIMEOUT = 6
PENDING_TIMEOUT = 6
WATCHDOG_EVERY = 2.0
RUN_TIMEOUT = int(os.environ.get("BENCH_TIMEOUT", "900"))
# Rounds of (baseline, run with faults), alternating; the median ratio is reported, because
# where the kills land moves a single round's ratio by a quarter either way.
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
# Which faults the second run injects (all by default; a subset shows where the time goes).
# How often each (media file, batch) was killed.
KILLED_BATCHES: Counter = Counter()
FAULTS = set(os.environ.get("BENCH_FAULTS", "kill,blip,drop,disk").split(","))
SERVICE_VARIABLES = (
    "DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "CACHE_URL", "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
)  # fmt: skip


class Deadline(Exception):
    pass


# --- environment ---------------------------------------------------------------------------
class Environment:
    """Scratch database / bucket prefix / var folder for this run; ``close`` removes them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.database = None
        self.admin_url = None
        self.s3_location = None
        os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
        os.environ["DEBUG"] = "0"
        os.environ["LERNFUNK_VAR_DIR"] = str(folder / "var")
        os.environ.pop("MEDIA_ROOT", None)
        # The watchdog's thresholds, for the workers and for this process, which runs it.
        os.environ["MEDIA_HEARTBEAT_TIMEOUT"] = str(HEARTBEAT_TIMEOUT)
        os.environ["MEDIA_PENDING_TIMEOUT"] = str(PENDING_TIMEOUT)
        # The transcode batches only: speech recognition runs on its own `asr` queue, which
        # these workers do not consume (its kill-and-recover test is in test_speech.py), and
        # its PENDING drafts would keep the run from ever finishing.
        os.environ["ASR_ENABLED"] = "0"
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            parts = urlsplit(url)
            self.database = f"{parts.path.lstrip('/')}_faults_bench"
            self.admin_url = urlunsplit(parts._replace(path="/postgres"))
            self._admin("DROP DATABASE IF EXISTS {}")
            self._admin("CREATE DATABASE {}")
            os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.database}"))
        if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
            self.s3_location = f"bench-faults-{secrets.token_hex(4)}"
            os.environ["AWS_LOCATION"] = self.s3_location

    def describe(self) -> str:
        from django.conf import settings
        from django.db import connection

        database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
        broker = "Redis" if settings.CELERY_BROKER_URL.startswith("redis") else "file system"
        storage = "local"
        if settings.MEDIA_ON_S3:
            storage = f"S3 ({settings.STORAGES['default']['OPTIONS']['endpoint_url'] or 'AWS'})"
        return f"{database} + {broker} broker + {storage} media"

    def _admin(self, query: str, params=()) -> None:
        """Run ``query`` on the server's maintenance database; ``{}`` is this run's database."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL(query).format(sql.Identifier(self.database)), params)

    def close(self) -> None:
        if self.s3_location:
            try:
                client, bucket, location = s3_client()
                for page in client.get_paginator("list_objects_v2").paginate(
                    Bucket=bucket, Prefix=f"{location}/"
                ):
                    keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
                    if keys:
                        client.delete_objects(Bucket=bucket, Delete={"Objects": keys})
            except Exception as exc:  # noqa: BLE001 - cleanup must go on
                print(f"could not empty s3 prefix {self.s3_location}: {exc}")
        if self.database:
            from django.db import connections

            connections.close_all()
            self._admin(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.database,),
            )
            self._admin("DROP DATABASE IF EXISTS {}")


def s3_client():
    import boto3
    from django.conf import settings

    options = settings.STORAGES["default"]["OPTIONS"]
    client = boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        region_name=options["region_name"],
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
        config=options["client_config"],
    )
    return client, options["bucket_name"], (options.get("location") or "").strip("/")


# --- media ---------------------------------------------------------------------------------
def generate_sources(folder: Path, ffmpeg: str) -> list[Path]:
    scale = SCALES[SCALE]
    folder.mkdir()
    seconds, size = scale["video_seconds"], scale["video_size"]
    jobs = []
    for index in range(VIDEOS):
        jobs.append(
            [
                "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25:duration={seconds}",
                "-f", "lavfi",
                "-i", f"sine=frequency={220 + 55 * index}:duration={seconds}:sample_rate=48000",
                "-ac", "2", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "26",
                "-c:a", "aac", "-shortest", str(folder / f"video-{index}.mp4"),
            ]
        )  # fmt: skip
    seconds = scale["audio_seconds"]
    for index in range(AUDIOS):
        jobs.append(
            [
                "-f", "lavfi",
                "-i", f"anoisesrc=color=pink:amplitude=0.08:duration={seconds}:seed={index}",
                "-af", "volume='if(lt(mod(t,1.5),1.1),1,0.02)':eval=frame,lowpass=3500",
                "-ar", "44100", "-ac", "2", "-c:a", "libmp3lame", "-b:a", "160k",
                str(folder / f"episode-{index}.mp3"),
            ]
        )  # fmt: skip
    for job in jobs:
        subprocess.run([ffmpeg, "-v", "error", "-nostdin", "-y", *job], check=True)
    return sorted(folder.iterdir())


def tagged_copies(sources: list[Path], folder: Path, ffmpeg: str, tag: str) -> list[Path]:
    """The same media with a different comment tag: the same work, but not a duplicate
    upload (uploads refuse a file whose SHA-256 is known)."""
    folder.mkdir()
    copies = []
    for source in sources:
        target = folder / source.name
        subprocess.run(
            [
                ffmpeg, "-v", "error", "-nostdin", "-y", "-i", str(source), "-map", "0",
                "-c", "copy", "-metadata", f"comment={tag}", str(target),
            ],
            check=True,
        )  # fmt: skip
        copies.append(target)
    return copies


# --- workers and faults --------------------------------------------------------------------
class Worker:
    def __init__(self, name: str, work_dir: Path, log_folder: Path):
        self.log_path = log_folder / f"{name}.log"
        self.log = self.log_path.open("a")
        env = {
            **os.environ,
            "MEDIA_WORK_DIR": str(work_dir),
            "PYTHONUNBUFFERED": "1",
        }
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "cms", "worker", "--hostname",
                f"{name}-{secrets.token_hex(2)}@%h", "--queues", "media", "--concurrency", "1",
                "--prefetch-multiplier", "1", "--pool", "prefork", "--without-gossip",
                "--without-mingle", "--loglevel", "INFO",
            ],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def ready(self) -> bool:
        return "ready." in self.log_path.read_text()

    def owns(self, pid: int) -> bool:
        try:
            return os.getpgid(pid) == self.process.pid
        except ProcessLookupError:
            return False

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def wait_ready(workers, timeout=90) -> None:
    deadline = time.monotonic() + timeout
    while not all(worker.ready() for worker in workers):
        if time.monotonic() > deadline or any(w.process.poll() is not None for w in workers):
            raise SystemExit("a worker did not start; see " + str(workers[0].log_path.parent))
        time.sleep(0.2)


class MediaQueue:
    """The broker's ``media`` queue from outside Celery."""

    def __init__(self):
        from django.conf import settings

        url = settings.CELERY_BROKER_URL
        self.redis = None
        self.folder = None
        if url.startswith("redis"):
            import redis

            self.redis = redis.Redis.from_url(url)
        elif url.startswith("filesystem"):
            self.folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_out"])

    def drop(self) -> int:
        if self.redis is not None:
            keys = [b"media", *self.redis.keys(b"media\x06\x16*")]
            count = sum(self.redis.llen(key) for key in keys)
            self.redis.delete(*keys)
            return count
        if self.folder is not None and self.folder.is_dir():
            files = list(self.folder.glob("*.media.msg"))
            for path in files:
                path.unlink(missing_ok=True)
            return len(files)
        return 0


def terminate_backends() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def folder_sizes(work_dir: Path) -> dict[str, int]:
    """Disk space each batch takes now in the work folder (FIFOs take none): its attempt's
    folder plus, for a video ladder, the batch's resume folder (``media_pipeline.resume``).
    Keyed by media file; of two attempts of one media file (its audio and its video batch)
    the larger counts, so the tiny disk stays as tight as one batch."""
    from media_pipeline import resume

    attempts: dict[str, int] = {}
    resumes: dict[str, int] = {}
    if not work_dir.is_dir():
        return {}
    for folder in work_dir.iterdir():
        if not folder.is_dir():
            continue
        total = 0
        for dirpath, _dirs, files in os.walk(folder):
            for name in files:
                try:
                    total += os.lstat(os.path.join(dirpath, name)).st_blocks * 512
                except OSError:
                    continue
        parsed = resume.parse_folder_name(folder.name)
        if parsed is not None:
            resumes[str(parsed[1])] = total
        else:  # <host>-<pid>-<media file>-<random>
            key = folder.name.rsplit("-", 2)[-2]
            attempts[key] = max(attempts.get(key, 0), total)
    return {key: attempts.get(key, 0) + resumes.get(key, 0) for key in {*attempts, *resumes}}


# --- one run -------------------------------------------------------------------------------
def upload_all(sources: list[Path], label: str) -> list[int]:
    from django.core.files import File

    from media_pipeline import uploads

    ids = []
    for source in sources:
        with source.open("rb") as handle:
            media_file = uploads.create_media_file(
                File(handle, name=source.name), title=f"{label} {source.stem}"
            )
        ids.append(media_file.pk)
    return ids


def run(label: str, sources, work_dir: Path, logs: Path, *, faults: dict | None) -> dict:
    """Upload the sources, let two workers make everything, inject ``faults`` (None for the
    baseline) and return the figures."""
    from django.db import connection

    from media_pipeline.models import MediaRendition, RenditionStatus

    queue = MediaQueue()
    queue.drop()
    work_dir.mkdir(parents=True, exist_ok=True)
    workers = [Worker(f"{label}-{i}", work_dir, logs) for i in range(WORKERS)]
    injected = Counter()
    timeline: list[str] = []
    peak_folder = 0
    try:
        wait_ready(workers)
        started = time.monotonic()
        ids = upload_all(sources, label)
        rows = MediaRendition.objects.filter(media_file_id__in=ids)
        schedule = []
        if faults:
            base = faults["baseline_wall"]
            schedule += [(at * base, "drop") for at in DROP_AT if "drop" in FAULTS]
            schedule += [(at * base, "kill") for at in KILL_AT if "kill" in FAULTS]
            if connection.vendor == "postgresql" and "blip" in FAULTS:
                schedule += [(at * base, "blip") for at in BLIP_AT]
            schedule.sort()
        watchdog = Watchdog()
        while True:
            now = time.monotonic()
            elapsed = now - started
            if now - started > RUN_TIMEOUT:
                break
            statuses = Counter(rows.values_list("status", flat=True))
            if not statuses.keys() - {RenditionStatus.READY, RenditionStatus.FAILED}:
                break
            while schedule and schedule[0][0] <= elapsed:
                _at, fault = schedule.pop(0)
                inject(
                    fault,
                    workers,
                    (work_dir, logs, label),
                    injected,
                    queue,
                    rows,
                    timeline,
                    started,
                    watchdog,
                )
            watchdog.tick()
            peak_folder = max([peak_folder, *folder_sizes(work_dir).values()])
            time.sleep(0.25)
        wall = time.monotonic() - started
        figures = inspect(ids, work_dir)
        figures.update(
            wall=wall, peak_folder=peak_folder, injected=dict(injected), timeline=timeline
        )
        return figures
    finally:
        for worker in workers:
            worker.stop()


class Watchdog:
    """What beat runs (``services.requeue_stale_renditions``), every ``WATCHDOG_EVERY`` s;
    ticked by the main loop and while a kill waits for a victim, so that wait never stalls
    the recovery it is measuring."""

    def __init__(self):
        self.last = 0.0

    def tick(self) -> None:
        from media_pipeline import services

        now = time.monotonic()
        if now - self.last < WATCHDOG_EVERY:
            return
        self.last = now
        try:
            services.requeue_stale_renditions()
        except Exception as exc:  # noqa: BLE001 - beat would log and go on
            print(f"  watchdog: {exc!r}")


def inject(
    fault, workers, where, injected, queue, rows, timeline, started, watchdog: Watchdog
) -> None:
    """Inject ``fault``; add a line saying when and what it hit to ``timeline``."""
    from django.conf import settings
    from django.utils import timezone

    from media_pipeline.models import RenditionStatus

    work_dir, logs, label = where

    if fault == "drop":
        dropped = queue.drop()
        injected["messages dropped"] += dropped
        injected["drops"] += 1
        timeline.append(f"drop at {time.monotonic() - started:5.1f} s: {dropped} messages")
    elif fault == "blip":
        terminated = terminate_backends()
        injected["connections terminated"] += terminated
        injected["blips"] += 1
        timeline.append(f"blip at {time.monotonic() - started:5.1f} s: {terminated} connections")
    elif fault == "kill":
        # The worker holding a batch mid-encode (waiting up to 15 s for one to be); of two,
        # the one whose attempt has run longest: the most work at stake, and never an attempt
        # that has only just resumed the batch a killed one left (it shows that one's progress
        # at once, so "progress > 0" alone would pick it again and again).
        deadline = time.monotonic() + 15
        victim = None
        final = [RenditionStatus.READY, RenditionStatus.FAILED]
        while victim is None and time.monotonic() < deadline:
            if not rows.exclude(status__in=final).exists():
                break  # all done: waiting on would only add to the measured wall time
            # Any busy row of a live worker (rows of a worker killed before stay PROCESSING
            # until the watchdog takes them back).
            holders = rows.filter(status=RenditionStatus.PROCESSING, progress__gt=0).order_by(
                "started_at"
            )
            for holder in holders.exclude(worker="").values(
                "worker", "media_file_id", "batch", "progress", "started_at"
            ):
                # A batch whose worker dies MEDIA_MAX_ATTEMPTS times is FAILED on purpose (an
                # input that kills workers must not loop): the benchmark's kills stand for
                # random faults, so no batch is killed that often.
                batch_key = (holder["media_file_id"], holder["batch"])
                if KILLED_BATCHES[batch_key] >= settings.MEDIA_MAX_ATTEMPTS - 1:
                    continue
                pid = int(holder["worker"].rsplit(":", 1)[1])
                victim = next((w for w in workers if w.owns(pid)), None)
                if victim is not None:
                    break
            if victim is None:
                watchdog.tick()
                time.sleep(0.2)
        if victim is None:
            injected["kills skipped (nothing in progress)"] += 1
            return
        victim.kill()
        injected["kills"] += 1
        KILLED_BATCHES[batch_key] += 1
        # How long the killed attempt had run (claim to kill; with resumable ladders not all of
        # it is lost).
        lost = (timezone.now() - holder["started_at"]).total_seconds()
        timeline.append(
            f"kill at {time.monotonic() - started:5.1f} s: {holder['batch']} batch of media file "
            f"{holder['media_file_id']} after {lost:.1f} s ({holder['progress']} %)"
        )
        injected["seconds killed attempts had run"] += round(lost)
        workers[workers.index(victim)] = Worker(
            f"{label}-restart-{injected['kills']}", work_dir, logs
        )


# --- inspection ----------------------------------------------------------------------------
def stored_objects(ids: list[int], mirror: Path) -> tuple[Path, set[str]]:
    """(a local folder holding every object under the media files' rendition folders, their
    storage names), listed from the storage itself (downloaded from the bucket on S3)."""
    from django.conf import settings

    prefixes = [f"media/renditions/{pk}/" for pk in ids]
    if not settings.MEDIA_ON_S3:
        root = Path(settings.MEDIA_ROOT)
        names = {
            path.relative_to(root).as_posix()
            for prefix in prefixes
            for path in (root / prefix).rglob("*")
            if path.is_file()
        }
        return root, names
    client, bucket, location = s3_client()
    names = set()
    for prefix in prefixes:
        full = f"{location}/{prefix}" if location else prefix
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=full):
            for item in page.get("Contents", []):
                name = item["Key"][len(location) + 1 :] if location else item["Key"]
                target = mirror / name
                target.parent.mkdir(parents=True, exist_ok=True)
                client.download_file(bucket, item["Key"], str(target))
                names.add(name)
    return mirror, names


def probe_ok(path: Path) -> bool:
    from media_pipeline.binaries import ffprobe_path

    result = subprocess.run(
        [
            ffprobe_path(), "-v", "error", "-show_entries", "format=duration", "-of", "json",
            str(path),
        ],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    if result.returncode != 0:
        return False
    try:
        return float(json.loads(result.stdout)["format"]["duration"]) > 0
    except (KeyError, ValueError):
        return path.suffix == ".jpg"  # a still picture has no duration


def playlist_references(path: Path) -> list[Path]:
    import re

    text = path.read_text()
    uris = re.findall(r'URI="([^"]+)"', text)
    uris += [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]
    return [(path.parent / uri).resolve() for uri in uris]


def inspect(ids: list[int], work_dir: Path) -> dict:
    from django.core.files.storage import default_storage

    from media_pipeline.models import MediaRendition, RenditionStatus
    from media_pipeline.storage import rendition_file_names

    rows = list(MediaRendition.objects.filter(media_file_id__in=ids))
    statuses = Counter(row.status for row in rows)
    mirror = Path(tempfile.mkdtemp(prefix="lernfunk-bench-faults-mirror-"))
    try:
        root, names = stored_objects(ids, mirror)
        expected = set()
        for row in rows:
            if row.file:
                expected.update(rendition_file_names(default_storage, row.file.name, row.spec))
        invalid = partial_hls = 0
        checked = set()
        for row in rows:
            if row.status != RenditionStatus.READY:
                continue
            main = root / row.file.name
            if row.file.name not in names:
                invalid += 1
                continue
            checked.add(row.file.name)
            kind = row.spec.split("|", 1)[0]
            if kind == "hls":
                rungs = sum(
                    1
                    for r in rows
                    if r.media_file_id == row.media_file_id and r.spec[:4] == "mp4|"
                )
                variants = playlist_references(main)
                complete = len(variants) == rungs
                for variant in variants:
                    if not variant.is_file() or not probe_ok(variant):
                        complete = False
                        continue
                    for segment in playlist_references(variant):
                        complete &= segment.is_file() and segment.stat().st_size > 0
                partial_hls += not complete
                checked.update(n for n in names if n.startswith(str(Path(row.file.name).parent)))
            elif kind == "waveform":
                try:
                    json.loads(main.read_text())
                except ValueError:
                    invalid += 1
            elif kind == "sprite":
                track = main.with_suffix(".vtt")
                invalid += not probe_ok(main) or not track.read_text().startswith("WEBVTT")
                checked.add(str(Path(row.file.name).with_suffix(".vtt")))
            else:
                invalid += not probe_ok(main)
        orphans = names - expected
        # Stored objects of current renditions that no check above reached are checked too.
        for name in names - checked - orphans:
            invalid += not probe_ok(root / name)
    finally:
        shutil.rmtree(mirror, ignore_errors=True)
    pairs = Counter((row.media_file_id, row.spec) for row in rows)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and work_dir.is_dir() and any(work_dir.iterdir()):
        time.sleep(0.5)
    ffmpeg = subprocess.run(["pgrep", "-f", str(work_dir)], capture_output=True, text=True)
    return {
        "renditions": len(rows),
        "ready": statuses[RenditionStatus.READY],
        "failed": statuses[RenditionStatus.FAILED],
        "stuck": len(rows) - statuses[RenditionStatus.READY] - statuses[RenditionStatus.FAILED],
        "duplicates": sum(count - 1 for count in pairs.values()),
        "invalid files": invalid,
        "partial HLS": partial_hls,
        "leftovers: work folder": len(list(work_dir.iterdir())) if work_dir.is_dir() else 0,
        "leftovers: ffmpeg": len(ffmpeg.stdout.split()),
        "leftovers: orphans": len(orphans),
        "stored objects": len(names),
        "errors": sorted({row.error for row in rows if row.error})[:3],
    }


# --- the tiny work disk --------------------------------------------------------------------
def mount_tiny_disk(folder: Path, size: int) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        print(f"  tiny work disk skipped: {result.stderr.strip() or 'mount failed'}")
    return result.returncode == 0


def unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


# --- main ----------------------------------------------------------------------------------
def main() -> int:
    if SCALE not in SCALES:
        raise SystemExit(f"BENCH_SCALE must be one of {', '.join(SCALES)}")
    folder = Path(tempfile.mkdtemp(prefix="lernfunk-bench-faults-"))
    environment = None
    mounted: Path | None = None
    rounds = []  # (baseline figures, faults figures, work disk description)

    def on_signal(signum, _frame):
        raise Deadline(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGALRM, on_signal)
    # Everything, including setup and inspection.
    signal.alarm(REPEAT * (2 * RUN_TIMEOUT + 300) + 300)
    try:
        environment = Environment(folder)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        from media_pipeline.binaries import ffmpeg_path

        call_command("migrate", verbosity=0)
        ffmpeg = ffmpeg_path()
        # Kept after the run (everything else is removed): the workers' logs.
        logs = Path(tempfile.mkdtemp(prefix="lernfunk-bench-faults-logs-"))
        print(f"configuration: {environment.describe()}; scale {SCALE}; worker logs in {logs}")
        print("generating media …", flush=True)
        sources = generate_sources(folder / "sources", ffmpeg)
        for index in range(1, REPEAT + 1):
            tag = f"-{index}" if REPEAT > 1 else ""
            baseline_sources = tagged_copies(
                sources, folder / f"baseline{tag}", ffmpeg, f"baseline{tag}"
            )
            fault_sources = tagged_copies(sources, folder / f"faults{tag}", ffmpeg, f"faults{tag}")
            print(f"baseline{tag}: two workers, no faults …", flush=True)
            baseline = run(
                f"baseline{tag}", baseline_sources, folder / f"work{tag}", logs, faults=None
            )
            print(f"  {baseline['wall']:.1f} s", flush=True)

            work_dir = folder / f"work-faults{tag}"
            disk = "none"
            size = int(baseline["peak_folder"] * 1.15) + 2_000_000
            tiny_disk = folder / f"work-tiny{tag}"
            if "disk" in FAULTS and baseline["peak_folder"] and mount_tiny_disk(tiny_disk, size):
                mounted = work_dir = tiny_disk
                needed = baseline["peak_folder"] / 1e6
                disk = f"tmpfs of {size / 1e6:.0f} MB (largest batch needed {needed:.0f} MB)"
            print(f"with faults{tag} …", flush=True)
            faulty = run(
                f"faults{tag}",
                fault_sources,
                work_dir,
                logs,
                faults={"baseline_wall": baseline["wall"]},
            )
            print(f"  {faulty['wall']:.1f} s", flush=True)
            if mounted is not None:
                unmount(mounted)
                mounted = None
            rounds.append((baseline, faulty, disk))
    except Deadline as exc:
        print(f"stopped: {exc}")
        return 2
    finally:
        signal.alarm(0)
        if mounted is not None:
            unmount(mounted)
        if environment is not None:
            environment.close()
        shutil.rmtree(folder, ignore_errors=True)

    scale = SCALES[SCALE]
    print()
    print(
        f"{VIDEOS} videos {scale['video_size']} {scale['video_seconds']} s + {AUDIOS} episodes "
        f"{scale['audio_seconds']} s, {WORKERS} workers; {os.cpu_count()} cores; "
        f"load average now {os.getloadavg()[0]:.1f}"
    )
    keys = [
        "renditions", "ready", "failed", "stuck", "duplicates", "invalid files", "partial HLS",
        "leftovers: work folder", "leftovers: ffmpeg", "leftovers: orphans", "stored objects",
    ]  # fmt: skip
    ratios = [faulty["wall"] / baseline["wall"] for baseline, faulty, _disk in rounds]
    # The round with the median ratio is shown in full; every round's figures count.
    median = sorted(range(len(rounds)), key=lambda i: ratios[i])[len(rounds) // 2]
    baseline, faulty, disk = rounds[median]
    if len(rounds) > 1:
        print(f"rounds (baseline, then with faults; alternating): shown in full: {median + 1}")
        for index, ((base, fault, _disk), ratio) in enumerate(zip(rounds, ratios, strict=True)):
            print(f"  {index + 1}: {base['wall']:.1f} s -> {fault['wall']:.1f} s  {ratio:.2f}x")
    print(f"faults injected: {faulty['injected']}; work disk: {disk}")
    for line in faulty["timeline"]:
        print(f"  {line}")
    print(f"{'':26s} {'baseline':>10s} {'faults':>10s}")
    for key in keys:
        print(f"{key:26s} {baseline[key]:>10} {faulty[key]:>10}")
    print(f"{'wall time (s)':26s} {baseline['wall']:>10.1f} {faulty['wall']:>10.1f}")
    label = "median of the rounds" if len(rounds) > 1 else "faults / baseline"
    print(f"{label}: {ratios[median]:.2f}x   (target <= 1.5x)")
    bad = False
    for index, (base, fault, _disk) in enumerate(rounds):
        for label, figures in (("baseline", base), ("faults", fault)):
            for error in figures["errors"]:
                print(f"  round {index + 1} {label} error: {error[:200]}")
            off = [key for key in keys[2:-1] if figures[key]]
            if off:
                print(f"  round {index + 1} {label}: {', '.join(off)} not zero")
                bad = True
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
