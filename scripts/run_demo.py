"""Run the demo site: Django's development server and a real Celery worker, side by side.

Started by `make demo`. It first migrates and loads the demo content with the site address
the server will answer on (``DEMO_HOST``/``DEMO_PORT``, or ``WAGTAILADMIN_BASE_URL`` when set),
so feeds, enclosures, hreflang links and ``sitemap.xml`` point at the running demo; the site
shows its own 404/500 pages (``DEBUG=1`` for Django's debug pages). The "running" banner is
printed once the server answers. Ctrl-C stops both cleanly: each
child runs in its own process group (so the terminal's SIGINT reaches only this supervisor),
its main process receives SIGTERM (Celery finishes its current task and exits warm), and
the whole group is killed if it has not stopped after a grace period.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = os.environ.get("DEMO_HOST", "127.0.0.1")
PORT = os.environ.get("DEMO_PORT", "8000")
GRACE_SECONDS = 20
START_TIMEOUT = float(os.environ.get("DEMO_START_TIMEOUT", "60"))


def base_url():
    """The address the demo site is reached at (what its Site record and feeds say)."""
    return os.environ.get("WAGTAILADMIN_BASE_URL") or f"http://localhost:{PORT}"


def prepare():
    """Migrate and load the demo content (idempotent: a second run only updates)."""
    for argv in (
        [PYTHON, "manage.py", "migrate", "--noinput"],
        [PYTHON, "manage.py", "load_demo_content", "--skip-checks"],
    ):
        subprocess.run(argv, cwd=ROOT, check=True)


def wait_until_answering(url, process, timeout=START_TIMEOUT):
    """True once ``url`` answers (any HTTP status below 500), False if ``process`` exits or
    ``timeout`` passes first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own URL
                if response.status < 500:
                    return True
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


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
    os.environ["WAGTAILADMIN_BASE_URL"] = base_url()
    # Visitors of the demo see the site's own error pages; DEBUG=1 shows Django's instead.
    os.environ.setdefault("DEBUG", "0")
    if "--no-setup" not in sys.argv:
        try:
            prepare()
        except subprocess.CalledProcessError as error:
            print(f"[demo] setup failed: {' '.join(error.cmd[1:])}", flush=True)
            return 1
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
                # "asr": speech recognition makes draft captions in the background.
                "default,media,asr",
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

    web = children[0][1]
    probe_host = "127.0.0.1" if HOST in ("0.0.0.0", "") else HOST.strip("[]")  # noqa: S104
    probe = f"http://{probe_host if ':' not in probe_host else f'[{probe_host}]'}:{PORT}/healthz"
    exit_code = 0
    if wait_until_answering(probe, web):
        site = base_url().rstrip("/")
        print(
            "\n[demo] Lernfunk is running:\n"
            f"         site:  {site}/de/  (English: {site}/en/)\n"
            f"         admin: {site}/admin/  login: admin / "
            f"{os.environ.get('DEMO_ADMIN_PASSWORD', 'lernfunk-demo')}\n"
            "       Press Ctrl-C to stop the web server and the worker.\n",
            flush=True,
        )
    elif not stopping:
        print(f"[demo] the web server did not answer on {probe}", flush=True)
        stopping, exit_code = True, 1
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
