"""Real Celery worker processes on the configured broker, database and storage.

The workers are separate processes (as in production), so the test database is a file
(SQLite) or a server (PostgreSQL) they share with the test; media goes to the same folder or
bucket.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from media_pipeline.models import MediaFile, MediaRendition, RenditionStatus
from media_pipeline.specs import PODCAST_AAC_SPEC, PODCAST_MP3_SPEC, WAVEFORM_SPEC

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def process_env(settings, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url(),
        "MEDIA_WORK_DIR": str(tmp_path / "work"),
        "PYTHONUNBUFFERED": "1",
    }
    if not settings.MEDIA_ON_S3:
        env["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    settings.MEDIA_WORK_DIR = env["MEDIA_WORK_DIR"]
    return env


class Worker:
    def __init__(self, env, log_path: Path, **extra_env):
        self.log_path = log_path
        self.log = log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "cms", "worker",
                "--queues", "default,media", "--concurrency", "1", "--pool", "prefork",
                "--without-gossip", "--without-mingle", "--loglevel", "INFO",
            ],
            cwd=ROOT,
            env={**env, **extra_env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while "ready." not in log_path.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"worker did not start:\n{log_path.read_text()}")
            time.sleep(0.2)

    def kill(self):
        """SIGKILL the worker and its pool: what a crash or an OOM kill does."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


@pytest.fixture
def start_worker(process_env, tmp_path):
    from cms.celery import app

    # Tasks queued by earlier tests (their rows are long gone) would only hold this worker up.
    app.control.purge()
    workers = []

    def start(**extra_env):
        worker = Worker(process_env, tmp_path / f"worker-{len(workers)}.log", **extra_env)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def wait_for(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message())
        time.sleep(0.25)


def run_import(process_env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", "import_media", *map(str, args)],
        cwd=ROOT,
        env=process_env,
        capture_output=True,
        text=True,
        timeout=300,
    )


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
    assert list(work_dir.iterdir()) == []
