"""Real Celery worker processes on the configured broker, database and storage.

The workers are separate processes (as in production), so the test database is a file
(SQLite) or a server (PostgreSQL) they share with the test; media goes to the same folder or
bucket.
"""

import json
import subprocess
import time
from pathlib import Path

import pytest

from media_pipeline import services
from media_pipeline.models import MediaFile, MediaRendition, RenditionStatus
from media_pipeline.specs import PODCAST_AAC_SPEC, PODCAST_MP3_SPEC, WAVEFORM_SPEC
from tests.media_pipeline import workers
from tests.media_pipeline.workers import run_import, wait_for

# The harness's fixtures, here for this module's tests and for modules importing them from it.
process_env = workers.process_env
start_worker = workers.start_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_import_media_waits_for_a_worker_and_reports_json(
    start_worker, process_env, speech_like_stereo
):
    start_worker()
    result = run_import(process_env, speech_like_stereo, "--title", "Folge 1", "--wait", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["kind"] == "audio" and report["title"] == "Folge 1"
    assert abs(report["duration"] - 6.0) < 0.1
    renditions = {r["spec"]: r for r in report["renditions"]}
    assert set(renditions) == {PODCAST_MP3_SPEC, PODCAST_AAC_SPEC, WAVEFORM_SPEC}
    mp3 = renditions[PODCAST_MP3_SPEC]
    assert mp3["status"] == "ready" and mp3["mime_type"] == "audio/mpeg"
    assert abs(mp3["loudness_lufs"] + 16) <= 1 and mp3["true_peak_dbtp"] <= -1
    assert mp3["storage_name"].startswith("media/renditions/")
    assert mp3["url"].endswith(".mp3") and mp3["size"] > 0
    assert MediaRendition.objects.filter(status=RenditionStatus.READY).count() == 3


def test_import_media_exit_status_for_a_refused_file(process_env, tmp_path):
    text = tmp_path / "kein-audio.mp3"
    text.write_text("nur Text")
    result = run_import(process_env, text, "--json")
    assert result.returncode == 1
    assert "keine lesbare Audio- oder Videodatei" in result.stderr


def test_killed_worker_mid_transcode_ends_with_one_ready_rendition_and_no_leftovers(
    start_worker, process_env, make_media, tmp_path
):
    long_source = make_media(
        "lang.mp3",
        "-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.1:duration=600:seed=1",
        "-ac", "2", "-c:a", "libmp3lame", "-b:a", "96k",
    )  # fmt: skip
    first = start_worker()
    result = run_import(process_env, long_source)
    assert result.returncode == 0, result.stderr
    media_file = MediaFile.objects.get()

    def processing():
        return media_file.renditions.filter(status=RenditionStatus.PROCESSING).exists()

    wait_for(processing, 60, lambda: first.log_path.read_text())
    time.sleep(1.0)
    first.kill()
    work_dir = Path(process_env["MEDIA_WORK_DIR"])
    leftovers = list(work_dir.iterdir())
    assert leftovers, f"no work folder left:\n{first.log_path.read_text()[-2000:]}"

    def no_ffmpeg_left():
        return subprocess.run(["pgrep", "-f", str(work_dir)], capture_output=True).returncode == 1

    # The kernel sends PDEATHSIG as the pool process exits; delivery is not instantaneous.
    wait_for(no_ffmpeg_left, 10, lambda: "ffmpeg must die with its worker")

    time.sleep(3.5)  # longer than the heartbeat timeout the next worker uses
    second = start_worker(MEDIA_HEARTBEAT_TIMEOUT="3")

    def all_ready():
        return set(media_file.renditions.values_list("status", flat=True)) == {
            RenditionStatus.READY
        }

    wait_for(all_ready, 240, lambda: second.log_path.read_text()[-3000:])
    renditions = list(media_file.renditions.all())
    assert sorted(r.spec for r in renditions) == sorted(
        [PODCAST_AAC_SPEC, PODCAST_MP3_SPEC, WAVEFORM_SPEC]
    )
    assert max(r.attempts for r in renditions) == 2, [(r.spec, r.attempts) for r in renditions]
    for rendition in renditions:
        assert rendition.file.storage.exists(rendition.file.name)

    # The dead worker's work folder goes with the watchdog's next round (beat runs it every
    # minute; the new worker's sweep at start may have come while the killed pool process
    # was still being torn down).
    def work_folder_empty():
        services.requeue_stale_renditions()
        return list(work_dir.iterdir()) == []

    wait_for(work_folder_empty, 15, lambda: f"left behind: {list(work_dir.iterdir())}")
