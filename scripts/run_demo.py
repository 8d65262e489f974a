"""Run the demo site: Django's development server and a real Celery worker, side by side.

Started by `make demo` after migrations and demo content. Ctrl-C stops both cleanly: each
child runs in its own process group (so the terminal's SIGINT reaches only this supervisor),
its main process receives SIGTERM (Celery finishes its current task and exits warm), and
the whole group is killed if it has not stopped after a grace period.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = os.environ.get("DEMO_HOST", "127.0.0.1")
PORT = os.environ.get("DEMO_PORT", "8000")
GRACE_SECONDS = 20


def start(name, argv):
    print(f"[demo] starting {name}: {' '.join(argv)}", flush=True)
    return name, subprocess.Popen(argv, cwd=ROOT, start_new_session=True)


def stop(children):
    for name, process in children:
        if process.poll() is None:
            print(f"[demo] stopping {name} …", flush=True)
            # Only the main process: Celery then shuts its pool down warmly itself.
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    for name, process in children:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            print(f"[demo] {name} did not stop in time; killing it", flush=True)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    children = [
        start(
            "web server",
            [PYTHON, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload", "--skip-checks"],
        ),
        start(
            "Celery worker",
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "cms",
                "worker",
                "--queues",
                "default,media",
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
                # Beat inside the demo worker runs the stale-rendition watchdog every 5 minutes
                # and Wagtail's scheduled publishing every minute.
                "--beat",
                "--schedule",
                str(ROOT / "var" / "celery" / "beat-schedule"),
            ],
        ),
    ]
    stopping = False

    def request_stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    time.sleep(2)
    print(
        "\n[demo] Lernfunk is running:\n"
        f"         site:  http://localhost:{PORT}/de/  (English: http://localhost:{PORT}/en/)\n"
        f"         admin: http://localhost:{PORT}/admin/  login: admin / "
        f"{os.environ.get('DEMO_ADMIN_PASSWORD', 'lernfunk-demo')}\n"
        "       Press Ctrl-C to stop the web server and the worker.\n",
        flush=True,
    )
    exit_code = 0
    while not stopping:
        for name, process in children:
            if process.poll() is not None:
                print(f"[demo] {name} exited with status {process.returncode}", flush=True)
                stopping, exit_code = True, 1
        time.sleep(0.5)
    stop(children)
    print("[demo] stopped.", flush=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
