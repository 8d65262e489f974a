"""Batches, attempt tokens, error classes and the watchdog, on real ffmpeg in this process.

The multi-worker faults (two Celery workers, kill -9, terminated database backends, lost
broker messages) are in test_faults.py; these tests pin down each rule on its own.
"""

import contextlib
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from media_pipeline import services, storage
from media_pipeline.exceptions import TransientMediaError
from media_pipeline.models import MediaRendition, RenditionStatus
from media_pipeline.specs import VIDEO_HLS_SPEC
from tests.media_pipeline.conftest import import_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_video(make_media):
    return make_media(
        "clip.mp4",
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=3",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=3:sample_rate=48000",
        "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest",
    )  # fmt: skip


def statuses(media_file):
    return {r.spec: r.status for r in media_file.renditions.all()}


def test_a_batch_is_claimed_once_however_many_messages_arrive(speech_like_stereo):
    media_file = import_file(speech_like_stereo)
    first = media_file.renditions.order_by("pk").first()
    made = services.run_batch(media_file.pk, "audio")
    assert sorted(made) == sorted(media_file.renditions.values_list("pk", flat=True))
    # A duplicate message (a re-sent one, or one per rendition as before batches).
    assert services.run_batch(media_file.pk, "audio") == []
    assert services.transcode_rendition(first.pk) == []
    assert {r.attempts for r in media_file.renditions.all()} == {1}
    assert set(statuses(media_file).values()) == {RenditionStatus.READY}


def test_a_claimed_batch_cannot_be_claimed_again_and_its_files_go_to_its_own_folder(
    speech_like_stereo,
):
    media_file = import_file(speech_like_stereo)
    attempt = services.claim_batch(media_file.pk, "audio")
    assert attempt is not None and len(attempt.specs) == 3
    assert services.claim_batch(media_file.pk, "audio") is None
    rows = media_file.renditions.all()
    assert {r.attempt for r in rows} == {attempt.token}
    assert {r.status for r in rows} == {RenditionStatus.PROCESSING}


def test_writes_of_an_attempt_that_lost_its_batch_change_nothing(speech_like_stereo):
    media_file = import_file(speech_like_stereo)
    lost = services.claim_batch(media_file.pk, "audio")
    # The watchdog gave the batch to another attempt meanwhile.
    media_file.renditions.update(status=RenditionStatus.PENDING, attempt="")
    services.run_batch(media_file.pk, "audio")
    ready = {r.pk: (r.file.name, r.attempt) for r in media_file.renditions.all()}

    services.release_batch(lost)
    services.fail_batch(lost, "kaputt")
    assert {r.pk: (r.file.name, r.attempt) for r in media_file.renditions.all()} == ready
    assert set(statuses(media_file).values()) == {RenditionStatus.READY}


def test_watchdog_resends_a_batch_whose_message_was_lost_once_per_batch(
    small_video, settings, django_capture_on_commit_callbacks
):
    media_file = import_file(small_video)  # its on-commit messages never went out here
    settings.MEDIA_PENDING_TIMEOUT = 60
    media_file.renditions.update(enqueued_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks() as callbacks:
        requeued = services.requeue_stale_renditions()
    assert sorted(requeued) == sorted(media_file.renditions.values_list("pk", flat=True))
    # One message per batch (audio-only, video), not one per rendition.
    assert len(callbacks) == 2
    assert all(
        r.enqueued_at > timezone.now() - timedelta(minutes=1) for r in media_file.renditions.all()
    )
    # A batch sent recently is left alone.
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.requeue_stale_renditions() == []
    assert callbacks == []


def test_watchdog_takes_back_a_dead_attempt_whole_and_removes_its_files(
    small_video, settings, django_capture_on_commit_callbacks
):
    media_file = import_file(small_video)
    attempt = services.claim_batch(media_file.pk, "video")
    folder = storage.attempt_folder(media_file.pk, attempt.token)
    default_storage.save(f"{folder}/half-stored.mp4", ContentFile(b"x" * 100))
    settings.MEDIA_HEARTBEAT_TIMEOUT = 60
    media_file.renditions.filter(attempt=attempt.token).update(
        heartbeat_at=timezone.now() - timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        requeued = services.requeue_stale_renditions()
    assert sorted(requeued) == sorted(attempt.row_ids)
    video_rows = media_file.renditions.filter(batch="video")
    assert {(r.status, r.attempt) for r in video_rows} == {(RenditionStatus.PENDING, "")}
    assert storage.walk(default_storage, folder) == []
    assert len([c for c in callbacks if "enqueue_batch" in repr(c)]) <= 1


def test_a_batch_of_a_dead_worker_on_this_machine_is_taken_back_at_once(small_video, settings):
    """A worker killed (OOM, kill -9) and restarted by its supervisor resumes the batch within
    seconds, not after MEDIA_HEARTBEAT_TIMEOUT; a live holder is left alone."""
    settings.MEDIA_HEARTBEAT_TIMEOUT = 3600
    host = socket.gethostname()
    media_file = import_file(small_video)
    live_holder = services.claim_batch(media_file.pk, "video")  # this process: alive
    dead = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    audio = services.claim_batch(media_file.pk, "audio")
    media_file.renditions.filter(attempt=audio.token).update(worker=f"{host}:{dead.pid}")
    dead.kill()
    dead.wait()

    requeued = services.requeue_stale_renditions()

    assert sorted(requeued) == sorted(audio.row_ids)
    by_batch = {(r.batch, r.status) for r in media_file.renditions.all()}
    assert by_batch == {("audio", RenditionStatus.PENDING), ("video", RenditionStatus.PROCESSING)}
    assert media_file.renditions.filter(attempt=live_holder.token).count() == len(
        live_holder.row_ids
    )


def test_a_process_id_reused_after_the_claim_does_not_keep_the_batch(small_video, settings):
    """In a container a restarted worker often gets the dead one's process id."""
    settings.MEDIA_HEARTBEAT_TIMEOUT = 3600
    media_file = import_file(small_video)
    attempt = services.claim_batch(media_file.pk, "audio")
    newcomer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        media_file.renditions.filter(attempt=attempt.token).update(
            worker=f"{socket.gethostname()}:{newcomer.pid}",
            started_at=timezone.now() - timedelta(minutes=10),
        )
        assert sorted(services.requeue_stale_renditions()) == sorted(attempt.row_ids)
    finally:
        newcomer.kill()
        newcomer.wait()


def test_a_batch_whose_workers_keep_dying_fails_instead_of_looping(small_video, settings):
    media_file = import_file(small_video)
    attempt = services.claim_batch(media_file.pk, "video")
    settings.MEDIA_HEARTBEAT_TIMEOUT = 60
    media_file.renditions.filter(attempt=attempt.token).update(
        attempts=settings.MEDIA_MAX_ATTEMPTS, heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    services.requeue_stale_renditions()
    failed = media_file.renditions.filter(batch="video")
    assert {r.status for r in failed} == {RenditionStatus.FAILED}
    assert "3" in failed[0].error


def test_attempts_given_back_for_a_busy_work_disk_do_not_count_as_crashes(small_video, settings):
    """Seen in benchmarks/faults.py: a batch released a dozen times while the work disk was
    busy, then its worker was killed once, was given up as "stopped responding 3 times"."""
    media_file = import_file(small_video)
    for _ in range(settings.MEDIA_MAX_ATTEMPTS + 2):
        services.release_batch(services.claim_batch(media_file.pk, "video"))
    crashed = services.claim_batch(media_file.pk, "video")
    settings.MEDIA_HEARTBEAT_TIMEOUT = 60
    media_file.renditions.filter(attempt=crashed.token).update(
        heartbeat_at=timezone.now() - timedelta(hours=1)
    )

    services.requeue_stale_renditions()

    rows = media_file.renditions.filter(batch="video")
    assert {(r.status, r.error) for r in rows} == {(RenditionStatus.PENDING, "")}


def test_retrying_hls_remakes_it_from_rungs_of_the_same_attempt(
    small_video, django_capture_on_commit_callbacks
):
    media_file = import_file(small_video)
    services.run_batch(media_file.pk, "video")
    services.run_batch(media_file.pk, "audio")
    hls = media_file.renditions.get(spec=VIDEO_HLS_SPEC)
    assert services.retry_rendition(hls, force=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.run_batch(media_file.pk, "video")
    hls.refresh_from_db()
    rungs = [r for r in media_file.renditions.all() if r.spec.startswith("mp4|")]
    assert hls.status == RenditionStatus.READY
    # Every rung was made again with the HLS, in the same attempt's folder.
    assert {r.attempt for r in rungs} == {hls.attempt}
    assert {r.file.name.split("/")[3] for r in rungs} == {hls.file.name.split("/")[3]}
    with hls.file.open("rb") as handle:
        master = handle.read().decode()
    assert master.count("#EXT-X-STREAM-INF") == len(rungs)


def test_a_setting_that_changes_the_video_makes_its_renditions_stale(small_video, settings):
    media_file = import_file(small_video)
    services.run_batch(media_file.pk, "video")
    services.run_batch(media_file.pk, "audio")
    assert services.ensure_renditions(media_file) == []
    settings.MEDIA_VIDEO_PRESET = "superfast"
    stale = {r.spec for r in services.ensure_renditions(media_file)}
    assert stale == {
        r.spec for r in media_file.renditions.all() if r.spec.startswith(("mp4|", "hls|"))
    }


def mount_tmpfs(folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")


@contextlib.contextmanager
def tmpfs(folder: Path, size: str):
    """A tmpfs of ``size`` mounted on ``folder`` while the block runs (skips without mount)."""
    mount_tmpfs(folder, size)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def tiny_work_disk(tmp_path, settings):
    """A 1 MiB tmpfs as the work folder: smaller than any batch needs."""
    folder = tmp_path / "tiny-work"
    mount_tmpfs(folder, "1m")
    settings.MEDIA_WORK_DIR = str(folder)
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_work_disk_too_small_is_retried_with_an_operators_message(make_media, tiny_work_disk):
    source = make_media(
        "lang.wav", "-f", "lavfi", "-i", "sine=frequency=300:duration=20:sample_rate=48000"
    )  # 1.9 MB: does not fit
    media_file = import_file(source)
    with pytest.raises(TransientMediaError) as raised:
        services.run_batch(media_file.pk, "audio")
    assert "MEDIA_WORK_DIR" in str(raised.value.message)  # not "the file is damaged"
    rows = list(media_file.renditions.all())
    assert {(r.status, r.error, r.attempt) for r in rows} == {(RenditionStatus.PENDING, "", "")}
    assert list(Path(tiny_work_disk).iterdir()) == []


def test_ffmpeg_running_out_of_disk_is_transient_not_the_files_fault():
    from media_pipeline import faults

    with pytest.raises(TransientMediaError) as raised:
        faults.check_process_output("[out#0/mp4] Error writing trailer: No space left on device")
    assert raised.value.message == faults.WORK_DISK_FULL
    faults.check_process_output("Invalid data found when processing input")  # the file's


def test_a_batch_waits_for_room_that_running_batches_have_reserved(tmp_path):
    from media_pipeline.workdisk import WorkDiskBusy, reserve

    root = tmp_path / "work"
    with tmpfs(root, "4m"):
        first_dir, second_dir = root / "first", root / "second"
        first_dir.mkdir()
        second_dir.mkdir()
        with reserve(root, "first", 3 * 1024 * 1024, first_dir):
            with pytest.raises(WorkDiskBusy), reserve(root, "second", 2 * 1024 * 1024, second_dir):
                pass
            # What the first has written already no longer counts twice.
            (first_dir / "part").write_bytes(b"x" * 1024 * 1024)
            with pytest.raises(WorkDiskBusy), reserve(root, "second", 2 * 1024 * 1024, second_dir):
                pass
        with reserve(root, "second", 2 * 1024 * 1024, second_dir):
            pass
        # Alone, a batch starts whatever its estimate: the disk itself will say if it is full.
        with reserve(root, "huge", 5 * 1024 * 1024, second_dir):
            pass
        # A reservation left by a dead process is cleared.
        (root / ".reserve-999999999-dead").write_text(f"{3 * 1024 * 1024} {second_dir}\n")
        with reserve(root, "third", 2 * 1024 * 1024, second_dir):
            pass
        assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []


def test_a_batch_waits_for_room_where_it_is_and_starts_when_it_is_freed(tmp_path):
    """Without the wait, a batch that found the disk busy went back to the queue with a
    countdown, and the disk stood idle until the countdown ran out."""
    from media_pipeline.workdisk import reserve

    root = tmp_path / "work"
    with tmpfs(root, "4m"):
        first_dir, second_dir = root / "first", root / "second"
        first_dir.mkdir()
        second_dir.mkdir()
        started, done = threading.Event(), threading.Event()
        failures = []

        def second():
            try:
                with reserve(root, "second", 2 * 1024 * 1024, second_dir, wait=30):
                    started.set()
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                failures.append(exc)
            finally:
                done.set()

        with reserve(root, "first", 3 * 1024 * 1024, first_dir):
            waiter = threading.Thread(target=second)
            waiter.start()
            assert not started.wait(1.0)
            # It announces itself as waiting, with what it needs.
            waiting = [p.name for p in root.iterdir() if p.name.startswith(".waiting-")]
            assert len(waiting) == 1 and waiting[0].endswith("-second")
        assert done.wait(10) and started.is_set() and not failures
        waiter.join()
        assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []


def test_waiting_batches_are_not_overtaken_by_newcomers_that_would_fit(tmp_path):
    from media_pipeline.workdisk import WorkDiskBusy, reserve

    root = tmp_path / "work"
    with tmpfs(root, "4m"):
        for name in ("first", "big", "small"):
            (root / name).mkdir()
        big_started, big_done = threading.Event(), threading.Event()

        def big():
            try:
                with reserve(root, "big", 3 * 1024 * 1024, root / "big", wait=30):
                    big_started.set()
            finally:
                big_done.set()

        with reserve(root, "first", 3 * 1024 * 1024, root / "first"):
            waiter = threading.Thread(target=big)
            waiter.start()
            while not any(p.name.startswith(".waiting-") for p in root.iterdir()):
                assert not big_done.wait(0.05)
            # Half a MiB would fit next to "first", but not next to what "big" waits for.
            with pytest.raises(WorkDiskBusy), reserve(root, "small", 512 * 1024, root / "small"):
                pass
        assert big_done.wait(10) and big_started.is_set()
        waiter.join()
        # A waiting file left by a dead process holds nobody up.
        (root / ".waiting-999999999-dead").write_text(f"{3 * 1024 * 1024} 0.0\n")
        with (
            reserve(root, "first", 3 * 1024 * 1024, root / "first"),
            reserve(root, "small", 512 * 1024, root / "small"),
        ):
            pass
        assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []


def test_a_killed_attempts_work_folder_does_not_fill_the_disk_under_the_next(tmp_path):
    """Seen in benchmarks/faults.py: after a kill, batches starting alone on the tiny disk ran
    out of space on top of the dead attempt's folder ("No space left on device" while reading
    the source) until the watchdog came by."""
    from media_pipeline import workdisk
    from media_pipeline.workdisk import reserve

    root = tmp_path / "work"
    with tmpfs(root, "4m"):
        dead = root / f"{socket.gethostname()}-999999999-7-0badcafe"
        dead.mkdir()
        (dead / "source").write_bytes(b"x" * 3 * 1024 * 1024)
        other_host = root / "elsewhere-999999999-7-0badcafe"  # another machine's: not ours
        other_host.mkdir()
        mine = root / workdisk.attempt_folder_name(os.getpid(), 8)
        mine.mkdir()
        with reserve(root, "next", 3 * 1024 * 1024, mine):
            (mine / "source").write_bytes(b"x" * 3 * 1024 * 1024)  # ENOSPC before
        assert not dead.exists() and other_host.exists() and mine.exists()


def test_a_waiting_batch_that_lost_its_claim_stops_waiting(tmp_path):
    from media_pipeline.workdisk import WorkDiskBusy, reserve

    root = tmp_path / "work"
    with tmpfs(root, "4m"):
        (root / "first").mkdir()
        (root / "second").mkdir()
        lost = threading.Event()
        threading.Timer(0.5, lost.set).start()
        with (
            reserve(root, "first", 3 * 1024 * 1024, root / "first"),
            pytest.raises(WorkDiskBusy),
            reserve(
                root, "second", 2 * 1024 * 1024, root / "second", wait=60, should_stop=lost.is_set
            ),
        ):
            pass
        assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []


@pytest.mark.django_db(transaction=True)
def test_a_batch_that_finds_the_disk_busy_is_made_once_it_is_free(
    speech_like_stereo, tmp_path, settings
):
    """The whole batch: claimed, waiting with its heartbeat going, then made, in one attempt
    (before, it was released to PENDING and sent back to the queue)."""
    from media_pipeline.workdisk import reserve

    root = tmp_path / "work"
    with tmpfs(root, "64m"):
        settings.MEDIA_WORK_DIR = str(root)
        settings.MEDIA_WORK_DISK_WAIT = 60
        settings.MEDIA_HEARTBEAT_INTERVAL = 1
        media_file = import_file(speech_like_stereo)
        (root / "other").mkdir()
        holding, release = threading.Event(), threading.Event()

        def other():
            with reserve(root, "other", 60 * 1024 * 1024, root / "other"):
                holding.set()
                release.wait(30)

        holder = threading.Thread(target=other)
        holder.start()
        assert holding.wait(10)
        beats = []

        def watch():
            # While it waits, the batch is PROCESSING with a fresh heartbeat.
            try:
                while not release.is_set():
                    rows = MediaRendition.objects.filter(media_file=media_file)
                    processing = RenditionStatus.PROCESSING
                    beats.extend(r.heartbeat_at for r in rows if r.status == processing)
                    if len(set(beats)) > 2:
                        release.set()
                    release.wait(0.2)
            finally:
                connection.close()

        watcher = threading.Thread(target=watch)
        watcher.start()
        made = services.run_batch(media_file.pk, "audio")
        watcher.join()
        holder.join()
        assert len(set(beats)) > 2  # it beat at least twice while waiting
        rows = list(media_file.renditions.all())
        assert sorted(made) == sorted(r.pk for r in rows)
        assert {(r.status, r.attempts) for r in rows} == {(RenditionStatus.READY, 1)}


def test_a_dead_attempts_ladder_keeps_its_room_for_its_own_batch(tmp_path):
    """A fresh batch does not start alone on top of the work a killed attempt left for its
    batch's next attempt (it would run out of space, or the work would be thrown away);
    batches that have work of their own to resume do not wait for each other."""
    from media_pipeline import resume
    from media_pipeline.workdisk import WorkDiskBusy, reserve

    root = tmp_path / "work"
    root.mkdir()
    dead = root / resume.folder_name("host", 1, "video")
    dead.mkdir()
    (dead / "rung-7.mp4").write_bytes(b"x" * 1024)
    (dead / resume.HOLDER_FILE).write_text("999999999 0")
    fresh = root / "fresh"
    fresh.mkdir()
    huge = 10**15  # more than any disk: only "alone" lets it start
    with pytest.raises(WorkDiskBusy), reserve(root, "fresh", huge, fresh):
        pass

    def never():
        pytest.fail("waited for room that only a free worker can free")

    # Waiting would not help (the room comes free only when a worker resumes that batch, and
    # a waiting one holds a worker): it goes back to the queue at once.
    with (
        pytest.raises(WorkDiskBusy),
        reserve(root, "fresh", huge, fresh, wait=60, should_stop=never),
    ):
        pass
    other = root / resume.folder_name("host", 2, "video")
    other.mkdir()
    (other / "rung-8.mp4").write_bytes(b"x" * 1024)
    # A batch resuming its work does not queue behind batches waiting (maybe for it).
    (root / f".waiting-{os.getpid()}-ahead").write_text(f"{huge} {time.time()}\n")
    with reserve(root, "resuming", huge, fresh, other):
        pass
    (root / f".waiting-{os.getpid()}-ahead").unlink()
    # Released without work, a folder is not kept (and keeps no room).
    empty = root / resume.folder_name("host", 3, "video")
    empty.mkdir()
    resume.release_folder(empty)
    assert not empty.exists()
    shutil.rmtree(dead)  # both resumed and stored
    shutil.rmtree(other)
    with reserve(root, "fresh", huge, fresh):
        pass


def test_waiting_for_the_work_disk_never_uses_up_the_retries(
    speech_like_stereo, tmp_path, settings
):
    """Seen in benchmarks/faults.py: a batch that waited more than ``max_retries`` times for
    room on a busy work disk was FAILED with "the work disk is full"."""
    from media_pipeline.tasks import transcode_batch_task
    from media_pipeline.workdisk import reserve

    root = tmp_path / "work"
    with tmpfs(root, "4m"):
        settings.MEDIA_WORK_DIR = str(root)
        settings.MEDIA_WORK_DISK_WAIT = 0.5  # then it goes back to the queue
        media_file = import_file(speech_like_stereo)
        other = root / "other"
        other.mkdir()
        with reserve(root, "other", 4 * 1024 * 1024 - 65536, other):  # a running batch
            result = transcode_batch_task.apply(
                args=(media_file.pk, "audio"), retries=transcode_batch_task.max_retries + 3
            )
        assert result.successful(), result.traceback
        rows = list(media_file.renditions.all())
        assert {(r.status, r.error, r.attempt) for r in rows} == {
            (RenditionStatus.PENDING, "", "")
        }


@pytest.mark.django_db(transaction=True)
def test_video_progress_and_heartbeat_are_written_while_it_runs(make_media, settings):
    source = make_media(
        "lang.mp4",
        "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=20",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=20:sample_rate=48000",
        "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest",
    )  # fmt: skip
    settings.MEDIA_HEARTBEAT_INTERVAL = 1
    settings.MEDIA_VIDEO_PRESET = "ultrafast"
    media_file = import_file(source)
    done = threading.Event()
    worker = threading.Thread(
        target=lambda: (services.run_batch(media_file.pk, "video"), done.set()), daemon=True
    )
    worker.start()
    seen, beats = set(), set()
    while not done.wait(0.3):
        for row in MediaRendition.objects.filter(
            media_file=media_file, batch="video", status=RenditionStatus.PROCESSING
        ):
            seen.add(row.progress)
            beats.add(row.heartbeat_at)
    worker.join(timeout=5)
    assert {r.status for r in media_file.renditions.filter(batch="video")} == {
        RenditionStatus.READY
    }
    assert any(1 <= p <= 90 for p in seen), f"no progress while running: {sorted(seen)}"
    assert len(beats) >= 3, "the heartbeat must move while ffmpeg runs"


def test_storage_that_fails_while_saving_releases_the_batch_for_a_retry(
    speech_like_stereo, settings, tmp_path
):
    if settings.MEDIA_ON_S3:
        pytest.skip("breaks the local media folder; S3 faults are in test_faults.py")
    media_file = import_file(speech_like_stereo)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = str(blocker)  # every save fails: NotADirectoryError
    with pytest.raises(TransientMediaError):
        services.run_batch(media_file.pk, "audio")
    rows = list(media_file.renditions.all())
    assert {(r.status, r.error, r.attempt, r.file.name) for r in rows} == {
        (RenditionStatus.PENDING, "", "", "")
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")
    assert len(services.run_batch(media_file.pk, "audio")) == 3
    # The released attempt does not count against MEDIA_MAX_ATTEMPTS, only the one that ran.
    assert {r.attempts for r in media_file.renditions.all()} == {1}


def test_outputs_of_a_source_replaced_meanwhile_are_not_marked_ready(
    speech_like_stereo, django_capture_on_commit_callbacks
):
    media_file = import_file(speech_like_stereo)
    attempt = services.claim_batch(media_file.pk, "audio")
    # An editor replaces the file while the worker transcodes the old one.
    type(media_file).objects.filter(pk=media_file.pk).update(file_hash="0" * 64)
    folder = storage.attempt_folder(media_file.pk, attempt.token)
    with django_capture_on_commit_callbacks() as callbacks:
        outputs = services._make_outputs(attempt, _work_dir(), None)
        with pytest.raises(services.AttemptLost):
            services.store_batch(attempt, outputs)
    assert {(r.status, r.attempt) for r in media_file.renditions.all()} == {
        (RenditionStatus.PENDING, "")
    }
    assert len(callbacks) == 1  # sent again, to be made from the new source
    services._forget_attempt_files(attempt)
    assert storage.walk(default_storage, folder) == []


def _work_dir():
    import tempfile

    return Path(tempfile.mkdtemp(prefix="lernfunk-test-"))


def test_a_source_copy_cut_short_is_retried_not_called_a_broken_file(speech_like_stereo):
    media_file = import_file(speech_like_stereo)
    name = media_file.file.name
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    default_storage.delete(name)
    assert default_storage.save(name, ContentFile(data[: len(data) // 2])) == name
    with pytest.raises(TransientMediaError, match="incomplete"):
        services.run_batch(media_file.pk, "audio")
    assert {(r.status, r.error) for r in media_file.renditions.all()} == {
        (RenditionStatus.PENDING, "")
    }


def test_a_source_on_local_storage_is_linked_into_the_work_folder_not_copied(
    speech_like_stereo, tmp_path
):
    """A worker beside local media (the embedded default, a shared file system) reads the
    stored source itself: no second copy of a long WAV on the work disk and no time spent
    copying and hashing it before the loudness can be measured. The stored file survives the
    work folder's removal."""
    media_file = import_file(speech_like_stereo)
    try:
        stored = Path(default_storage.path(media_file.file.name))
    except NotImplementedError:
        pytest.skip("media on an object store: the source is downloaded (tested on S3)")
    work = tmp_path / "work"
    work.mkdir()
    target = work / "source"
    storage.download_source(media_file, target)
    assert target.stat().st_ino == stored.stat().st_ino
    assert target.stat().st_size == media_file.file_size
    shutil.rmtree(work)
    assert services.run_batch(media_file.pk, "audio")
    with stored.open("rb") as handle:
        assert hashlib.file_digest(handle, "sha256").hexdigest() == media_file.file_hash
