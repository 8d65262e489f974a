"""Faults an operator meets with several workers on the ``media`` queue, driven for real.

Two Celery worker processes (``--queues media``, concurrency 1, prefetch multiplier 1) share
the configured database, broker and storage with the test. Each test injects one fault —
two workers given the same batch at once, a worker killed mid-encode, the database dropping
the workers' connections, queued messages lost by the broker — then runs the watchdog
(``services.requeue_stale_renditions``, what beat runs) with short thresholds until every
rendition is READY, and checks that nothing is left behind: one row per (media file, spec),
a complete HLS ladder, an empty work folder, no ffmpeg, no stored file that belongs to no
rendition.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import shutil
import subprocess
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction

from media_pipeline import services, uploads
from media_pipeline.models import MediaRendition, RenditionStatus
from media_pipeline.storage import rendition_file_names
from tests.media_pipeline import workers
from tests.media_pipeline.conftest import ffprobe_json, generate
from tests.media_pipeline.workers import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

process_env = workers.process_env
start_worker = workers.start_worker

# Short thresholds for the watchdog, in the workers (their start-up sweep, the heartbeat
# interval derived from the timeout) and in the test process (which runs the watchdog).
HEARTBEAT_TIMEOUT = 4
PENDING_TIMEOUT = 4
RENDITIONS_ROOT = "media/renditions"


# --- media ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lecture_video(tmp_path_factory):
    """8 s of 1280x720 with stereo sound: a three-rung ladder (720/480/360), a few seconds
    of encoding on two cores, long enough to be caught mid-encode."""
    return generate(
        tmp_path_factory.mktemp("faults") / "vorlesung.mp4",
        "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=8",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=8:sample_rate=48000",
        "-ac", "2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest",
    )  # fmt: skip


@pytest.fixture(scope="module")
def podcast_audio(tmp_path_factory):
    """A minute of speech-like stereo noise: the audio batch keeps the second worker busy."""
    return generate(
        tmp_path_factory.mktemp("faults") / "folge.wav",
        "-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.08:duration=60:seed=5",
        "-af", "volume='if(lt(mod(t,1.5),1.1),1,0.02)':eval=frame,lowpass=3500",
        "-ar", "48000", "-ac", "2",
    )  # fmt: skip


def upload(path: Path, title: str):
    with path.open("rb") as handle:
        return uploads.create_media_file(File(handle, name=path.name), title=title)


# --- workers, broker, database -------------------------------------------------------------
@pytest.fixture
def watchdog_settings(settings):
    settings.MEDIA_HEARTBEAT_TIMEOUT = HEARTBEAT_TIMEOUT
    settings.MEDIA_PENDING_TIMEOUT = PENDING_TIMEOUT
    return settings


@pytest.fixture
def start_media_workers(start_worker, watchdog_settings):
    """``start(count=2, **env)``: workers on the media queue as operators scale out, started
    side by side; returns them running."""

    def start(count=2, *, wait=True, **env):
        env = {
            "MEDIA_HEARTBEAT_TIMEOUT": str(HEARTBEAT_TIMEOUT),
            "MEDIA_PENDING_TIMEOUT": str(PENDING_TIMEOUT),
            **env,
        }
        started = [
            start_worker(queues="media", prefetch_multiplier=1, wait=False, **env)
            for _ in range(count)
        ]
        if wait:
            for worker in started:
                worker.wait_ready()
        return started

    return start


class MediaQueue:
    """The broker's ``media`` queue seen from outside Celery: what a Redis restart without
    persistence, or redelivery by an at-least-once broker, does to it."""

    def __init__(self, settings):
        url = settings.CELERY_BROKER_URL
        self.redis = self.folder = None
        if url.startswith("redis"):
            import redis

            self.redis = redis.Redis.from_url(url)
        elif url.startswith("filesystem"):
            self.folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_out"])
        else:
            pytest.skip(f"queued messages are only reachable on Redis or the file system: {url}")

    def _redis_keys(self) -> list[bytes]:
        # kombu keeps priorities other than 0 in their own lists ("media\x06\x163", …).
        return [b"media", *self.redis.keys(b"media\x06\x16*")]

    def _files(self) -> list[Path]:
        return sorted(self.folder.glob("*.media.msg")) if self.folder.is_dir() else []

    def count(self) -> int:
        if self.redis is not None:
            return sum(self.redis.llen(key) for key in self._redis_keys())
        return len(self._files())

    def duplicate(self) -> int:
        """Deliver every waiting message twice in a row, as an at-least-once broker may: two
        idle workers then receive the same message at the same time."""
        if self.redis is not None:
            # LPUSH publishes, BRPOP consumes: the oldest message is the last in the list.
            messages = self.redis.lrange(b"media", 0, -1)
            pipe = self.redis.pipeline()
            pipe.delete(b"media")
            for message in reversed(messages):
                pipe.lpush(b"media", message, message)
            pipe.execute()
            return len(messages)
        files = self._files()
        for path in files:
            # Named like the original up to its first dot: read right before or after it.
            stem = path.name.partition(".")[0]
            shutil.copyfile(path, path.with_name(f"{stem}-again.media.msg"))
        return len(files)

    def drop(self) -> int:
        """Lose every waiting message; returns how many there were."""
        count = self.count()
        if self.redis is not None:
            self.redis.delete(*self._redis_keys())
        else:
            for path in self._files():
                path.unlink(missing_ok=True)
        return count


@pytest.fixture
def media_queue(settings):
    return MediaQueue(settings)


def require_postgresql(fault: str) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(f"{fault} needs PostgreSQL; SQLite has no server connections to drop")


def terminate_database_backends() -> int:
    """Drop every other connection to the test database, as a failover or an operator's
    pg_terminate_backend does; returns how many were dropped."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def lock_waiters() -> int:
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps showing the activity it read first.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@contextlib.contextmanager
def starting_gate(media_file):
    """On PostgreSQL, hold row locks on the media file's renditions until the block ends, so
    workers that receive its messages meanwhile all start claiming the same instant. SQLite
    serialises every writer anyway: no gate there."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        list(MediaRendition.objects.select_for_update().filter(media_file=media_file))
        yield


# --- running the watchdog, checking the outcome ---------------------------------------------
def describe(media_files, media_workers) -> str:
    rows = MediaRendition.objects.filter(media_file__in=media_files).order_by("media_file", "pk")
    lines = [
        f"  {r.media_file_id} {r.spec:36s} {r.status:10s} attempts={r.attempts} "
        f"progress={r.progress} worker={r.worker} {r.error} {r.error_detail[-300:]}"
        for r in rows
    ]
    logs = [f"--- {w.log_path.name}\n{w.text()[-3000:]}" for w in media_workers]
    return "\n".join(["renditions:", *lines, *logs])


def recover(media_files, media_workers, *, timeout=120) -> list[MediaRendition]:
    """Run the watchdog every second, as beat does (with the short thresholds), until every
    rendition is READY. A FAILED rendition fails the test at once: every fault here is
    transient, none is the file's fault."""
    deadline = time.monotonic() + timeout
    while True:
        rows = list(MediaRendition.objects.filter(media_file__in=media_files))
        statuses = {row.status for row in rows}
        if RenditionStatus.FAILED in statuses:
            raise AssertionError(f"a rendition FAILED\n{describe(media_files, media_workers)}")
        if rows and statuses == {RenditionStatus.READY}:
            return rows
        if time.monotonic() > deadline:
            raise AssertionError(
                f"not READY after {timeout} s\n{describe(media_files, media_workers)}"
            )
        services.requeue_stale_renditions()
        time.sleep(1.0)


def wait_until_mid_encode(media_file, media_workers) -> list[MediaRendition]:
    """The video batch's rows a second into its encode (PROCESSING)."""

    def encoding():
        statuses = set(media_file.renditions.values_list("status", flat=True))
        assert statuses != {RenditionStatus.READY}, "finished before it could be caught"
        return media_file.renditions.filter(
            spec__startswith="mp4|", status=RenditionStatus.PROCESSING
        ).exists()

    wait_for(
        encoding, 90, lambda: f"not caught mid-encode\n{describe([media_file], media_workers)}"
    )
    time.sleep(1.0)
    rung = media_file.renditions.filter(spec__startswith="mp4|").first()
    assert rung.status == RenditionStatus.PROCESSING, describe([media_file], media_workers)
    return list(
        media_file.renditions.filter(status=RenditionStatus.PROCESSING, worker=rung.worker)
    )


def stored_rendition_files(media_file) -> set[str]:
    """Every object stored under the media file's rendition folder since it was uploaded,
    listed from the storage itself (the bucket over HTTP on S3, the folder on local media).
    The bucket outlives test databases, whose ids start again at 1: older objects are another
    run's."""
    prefix = f"{RENDITIONS_ROOT}/{media_file.pk}/"
    if not django_settings.MEDIA_ON_S3:
        root = Path(django_settings.MEDIA_ROOT)
        return {
            path.relative_to(root).as_posix()
            for path in (root / prefix).rglob("*")
            if path.is_file()
        }
    import boto3

    options = django_settings.STORAGES["default"]["OPTIONS"]
    client = boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        region_name=options["region_name"],
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
        config=options["client_config"],
    )
    location = (options.get("location") or "").strip("/")
    since = media_file.created_at.replace(microsecond=0) - timedelta(seconds=1)
    full_prefix = f"{location}/{prefix}" if location else prefix
    names = set()
    for page in client.get_paginator("list_objects_v2").paginate(
        Bucket=options["bucket_name"], Prefix=full_prefix
    ):
        for item in page.get("Contents", []):
            if item["LastModified"] >= since:
                names.add(item["Key"][len(location) + 1 :] if location else item["Key"])
    return names


def playlist_references(name: str) -> list[str]:
    """Storage names a playlist refers to (variant playlists, init segments, segments)."""
    with default_storage.open(name, "rb") as handle:
        text = handle.read().decode()
    folder = posixpath.dirname(name)
    uris = re.findall(r'URI="([^"]+)"', text)
    uris += [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]
    return [posixpath.normpath(posixpath.join(folder, uri)) for uri in uris]


def assert_complete_hls(media_file) -> None:
    renditions = list(media_file.renditions.all())
    rungs = sorted(r.height for r in renditions if r.spec.startswith("mp4|"))
    for hls in (r for r in renditions if r.spec.startswith("hls|")):
        with default_storage.open(hls.file.name, "rb") as handle:
            master = handle.read().decode()
        heights = sorted(int(h) for h in re.findall(r"RESOLUTION=\d+x(\d+)", master))
        assert heights == rungs, f"master lists {heights}, the ladder is {rungs}:\n{master}"
        variants = playlist_references(hls.file.name)
        assert len(variants) == len(rungs), master
        for variant in variants:
            assert default_storage.exists(variant), f"{variant} is missing"
            for segment in playlist_references(variant):
                assert default_storage.exists(segment), f"{segment} of {variant} is missing"


def assert_nothing_left_behind(media_files, work_dir: Path) -> None:
    rows = list(MediaRendition.objects.filter(media_file__in=media_files))
    duplicates = [k for k, n in Counter((r.media_file_id, r.spec) for r in rows).items() if n > 1]
    assert not duplicates, duplicates
    for media_file in media_files:
        assert_complete_hls(media_file)
        expected = set()
        for row in (r for r in rows if r.media_file_id == media_file.pk):
            assert row.file and default_storage.exists(row.file.name), (row.spec, row.file.name)
            expected.update(rendition_file_names(default_storage, row.file.name, row.spec))
        orphans = stored_rendition_files(media_file) - expected
        assert not orphans, f"stored, but no rendition's: {sorted(orphans)}"
    wait_for(
        lambda: not work_dir.exists() or not any(work_dir.iterdir()),
        10,
        lambda: f"left in the work folder: {sorted(p.name for p in work_dir.iterdir())}",
    )
    wait_for(
        lambda: subprocess.run(["pgrep", "-f", str(work_dir)], capture_output=True).returncode,
        10,
        lambda: (
            subprocess.run(["pgrep", "-af", str(work_dir)], capture_output=True, text=True).stdout
        ),
    )


# --- the faults ------------------------------------------------------------------------------
def test_two_workers_given_the_same_batch_make_it_once_without_deadlock(
    start_media_workers, media_queue, lecture_video, process_env, settings
):
    # No message is lost here: only the heartbeat watchdog runs.
    settings.MEDIA_PENDING_TIMEOUT = 600
    video = upload(lecture_video, "Gleichzeitig")
    # Every message twice, as an at-least-once broker redelivers: whichever way the pipeline
    # splits a video into messages, both workers get one for the same batch.
    assert media_queue.duplicate() >= 1
    with starting_gate(video):
        media_workers = start_media_workers(wait=False, MEDIA_PENDING_TIMEOUT="600")
        if connection.vendor == "postgresql":
            # Released once both are blocked on the rows (or have not blocked after a while:
            # a claim may skip locked rows instead of waiting for them).
            deadline = time.monotonic() + 45
            while lock_waiters() < 2 and time.monotonic() < deadline:
                time.sleep(0.2)
    for worker in media_workers:
        worker.wait_ready()

    rows = recover([video], media_workers)

    assert {r.attempts for r in rows} == {1}, describe([video], media_workers)
    for worker in media_workers:
        assert "deadlock" not in worker.text().lower(), worker.text()[-3000:]
    assert_nothing_left_behind([video], Path(process_env["MEDIA_WORK_DIR"]))


def test_worker_killed_mid_batch_is_recovered_by_the_watchdog(
    start_media_workers, lecture_video, process_env
):
    media_workers = start_media_workers()
    video = upload(lecture_video, "Abgestürzt")
    killed_rows = wait_until_mid_encode(video, media_workers)
    pid = int(killed_rows[0].worker.rsplit(":", 1)[1])
    victim = next(worker for worker in media_workers if worker.owns(pid))
    victim.kill()
    # Its supervisor restarts it; the new worker's start-up sweep runs the watchdog too.
    media_workers += start_media_workers(count=1)

    rows = recover([video], media_workers)

    killed = {row.pk for row in killed_rows}
    # A next attempt that went on from the dead one's work does not count that death. Any
    # live worker on this machine may be the one that takes the requeued batch and resumes it.
    resumed = any("resuming rungs" in worker.text() for worker in media_workers)
    died = 1 if resumed else 2
    assert {(r.spec, r.attempts) for r in rows} == {
        (r.spec, died if r.pk in killed else 1) for r in rows
    }, describe([video], media_workers)
    assert_nothing_left_behind([video], Path(process_env["MEDIA_WORK_DIR"]))


def test_database_connections_terminated_mid_transcode_fail_nothing(
    start_media_workers, lecture_video, podcast_audio, process_env
):
    require_postgresql("terminating database backends")
    media_workers = start_media_workers()
    video = upload(lecture_video, "Verbindung weg")
    episode = upload(podcast_audio, "Folge")
    wait_until_mid_encode(video, media_workers)
    assert terminate_database_backends() >= 2  # at least both pool processes' connections
    time.sleep(1.5)  # and once more, as a failover that takes a moment does
    terminate_database_backends()

    recover([video, episode], media_workers)

    assert_nothing_left_behind([video, episode], Path(process_env["MEDIA_WORK_DIR"]))


def test_messages_lost_by_the_broker_are_enqueued_again_by_the_watchdog(
    start_media_workers, media_queue, lecture_video, podcast_audio, process_env
):
    video = upload(lecture_video, "Verloren")
    episode = upload(podcast_audio, "Folge")
    assert media_queue.drop() >= 2
    media_workers = start_media_workers()

    rows = recover([video, episode], media_workers, timeout=60)

    assert {r.attempts for r in rows} == {1}, describe([video, episode], media_workers)
    assert_nothing_left_behind([video, episode], Path(process_env["MEDIA_WORK_DIR"]))


def test_killed_video_batch_resumes_where_the_dead_worker_stopped(
    start_media_workers, lecture_video, process_env, tmp_path
):
    from media_pipeline import resume

    work_dir = Path(process_env["MEDIA_WORK_DIR"])
    media_workers = start_media_workers()
    video = upload(lecture_video, "Fortgesetzt")
    rungs = video.renditions.filter(spec__startswith="mp4|").count()

    def fragments_on_disk() -> list[int]:
        """Complete picture fragments per rung in the batch's resume folder."""
        folders = (
            [p for p in work_dir.glob("*-resume-*") if p.is_dir()] if work_dir.is_dir() else []
        )
        counts = []
        for folder in folders:
            for part in folder.glob("part-*.mp4"):
                file = resume.read_fragmented(part)
                counts.append(len(file.fragments) if file else 0)
        return counts

    wait_for(
        lambda: (lambda c: len(c) == rungs and min(c) >= 1)(fragments_on_disk()),
        90,
        lambda: f"no rung fragment written\n{describe([video], media_workers)}",
    )
    holder = video.renditions.filter(status=RenditionStatus.PROCESSING).first()
    assert holder is not None, describe([video], media_workers)
    pid = int(holder.worker.rsplit(":", 1)[1])
    victim = next(worker for worker in media_workers if worker.owns(pid))
    victim.kill()
    media_workers += start_media_workers(count=1)

    recover([video], media_workers)

    # The next attempt went on from the dead one's fragments instead of the first frame.
    logs = "".join(worker.text() for worker in media_workers if worker is not victim)
    resumed = [float(s) for s in re.findall(r"resuming rungs \S+(?: \S+)* at ([\d.]+) s", logs)]
    assert resumed and resumed[0] >= 2.0, describe([video], media_workers)
    # Its death does not count towards MEDIA_MAX_ATTEMPTS: the batch moved forward (kills at
    # every restart must not fail a video that gets further each time).
    assert {r.attempts for r in video.renditions.all()} == {1}, describe([video], media_workers)
    # Every frame once, on the constant-rate grid, across the join; sound as long as picture.
    for rung in video.renditions.filter(spec__startswith="mp4|"):
        local = tmp_path / f"rung-{rung.pk}.mp4"
        with default_storage.open(rung.file.name, "rb") as handle:
            local.write_bytes(handle.read())
        packets = ffprobe_json(local, "-select_streams", "v:0", "-show_entries", "packet=pts")
        pts = sorted(int(packet["pts"]) for packet in packets["packets"])
        steps = {b - a for a, b in zip(pts, pts[1:], strict=False)}
        assert len(pts) == 200 and len(steps) == 1, (rung.spec, len(pts), steps)
        assert abs(rung.duration - 8.0) < 0.1, (rung.spec, rung.duration)
    assert_nothing_left_behind([video], work_dir)
