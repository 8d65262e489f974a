"""Real Celery worker processes for tests: the harness and its fixtures.

The workers are separate processes (as in production), so the test database is a file
(SQLite) or a server (PostgreSQL) they share with the test; media goes to the same folder or
bucket. Test modules import the fixtures they use (``process_env``, ``start_worker``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


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
    """``celery worker`` in its own session (so a kill takes its pool and ffmpeg with it).

    ``wait=False`` returns at once; call ``wait_ready`` before relying on it (start several
    side by side that way)."""

    def __init__(
        self,
        env,
        log_path: Path,
        *,
        queues: str = "default,media",
        prefetch_multiplier: int | None = None,
        wait: bool = True,
        **extra_env,
    ):
        self.log_path = log_path
        self.log = log_path.open("w")
        argv = [
            sys.executable, "-m", "celery", "-A", "cms", "worker",
            "--hostname", f"{log_path.stem}@%h",
            "--queues", queues, "--concurrency", "1", "--pool", "prefork",
            "--without-gossip", "--without-mingle", "--loglevel", "INFO",
        ]  # fmt: skip
        if prefetch_multiplier is not None:
            argv += ["--prefetch-multiplier", str(prefetch_multiplier)]
        self.process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**env, **extra_env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if wait:
            self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while "ready." not in self.log_path.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"worker did not start:\n{self.log_path.read_text()}")
            time.sleep(0.2)

    def text(self) -> str:
        return self.log_path.read_text()

    def owns(self, pid: int) -> bool:
        """True if ``pid`` (e.g. the pool process in a rendition's ``worker``) is this
        worker's."""
        try:
            return os.getpgid(pid) == self.process.pid
        except ProcessLookupError:
            return False

    def kill(self):
        """SIGKILL the worker and its pool: what a crash or an OOM kill does."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.log.close()

    def stop(self):
        """SIGTERM: Celery's warm shutdown (the running task finishes, nothing new starts)."""
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
    """``start_worker(**options_and_env)`` → a running Worker; all are stopped afterwards."""
    from cms.celery import app

    # Tasks queued by earlier tests (their rows are long gone) would only hold this worker up.
    app.control.purge()
    workers = []

    def start(**options_and_env):
        worker = Worker(process_env, tmp_path / f"worker-{len(workers)}.log", **options_and_env)
        workers.append(worker)
        return worker

    yield start
    # The test has checked what it needed: a warm shutdown would only wait (about 7 s per
    # worker, mostly Celery's polling and pool threads) for work nobody looks at any more.
    for worker in workers:
        worker.kill()


def wait_for(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message())
        time.sleep(0.25)


def run_import(process_env, *args):
    if "--wait" in args and "--worker-timeout" not in args:
        # A worker that has started answers the ping within seconds, but on a CI machine
        # running two suites side by side (load 10+) the file-system broker's polling can take
        # longer than the command's default of 5 s; these tests are about the outcome.
        args = (*args, "--worker-timeout", "60")
    return subprocess.run(
        [sys.executable, "manage.py", "import_media", *map(str, args)],
        cwd=ROOT,
        env=process_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
