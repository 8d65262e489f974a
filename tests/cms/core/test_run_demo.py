"""`make demo` as a newcomer runs it, on another port: the real script, a real server and worker.

The demo is the embedded default (SQLite, file-system broker, local media), so this runs once,
in the embedded CI run; it takes about half a minute (migrations and demo content).
"""

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import feedparser
import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[3]
SERVICE_VARIABLES = (
    "DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "DJANGO_SETTINGS_MODULE",
    "WAGTAILADMIN_BASE_URL", "DEBUG",
)  # fmt: skip

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="the demo is the embedded default; the embedded run covers it",
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(
        DEMO_PORT=str(port),
        LERNFUNK_VAR_DIR=str(tmp_path_factory.mktemp("demo-var")),
        PYTHONUNBUFFERED="1",
        # Tone videos: a fresh var/ would encode the speaking ones first (test_demo_speech.py
        # covers them), and this test is about the server, the worker and the site address.
        DEMO_VIDEOS_SPEAK="0",
    )
    process = subprocess.Popen(
        [sys.executable, "scripts/run_demo.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stdout], daemon=True
    ).start()
    output = []
    banner_status = None
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        output.append(line)
        if "Lernfunk is running" in line:
            # At the moment the banner appears, the site must already answer.
            banner_status = get(f"http://127.0.0.1:{port}/de/")[0]
        if "Press Ctrl-C" in line:
            break
    try:
        yield {"port": port, "banner_status": banner_status, "output": output}
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_banner_appears_once_the_site_answers(demo):
    assert demo["banner_status"] == 200, "".join(demo["output"][-30:])
    banner = "".join(demo["output"])
    assert f"http://localhost:{demo['port']}/de/" in banner


def test_feed_enclosures_and_sitemap_follow_the_demo_port(demo):
    base = f"http://localhost:{demo['port']}"
    status, show = get(f"{base}/de/podcast/")
    assert status == 200
    feed_url = re.search(r'id="feed-url"[^>]*value="([^"]+)"', show).group(1)
    assert feed_url.startswith(base + "/feeds/podcast/"), feed_url
    # Episodes enter the feed once the demo's worker has made their audio.
    deadline = time.monotonic() + 180
    while True:
        status, body = get(feed_url)
        assert status == 200
        feed = feedparser.parse(body)
        enclosures = [link.href for entry in feed.entries for link in entry.enclosures]
        if enclosures or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert enclosures
    assert all(url.startswith(base + "/") for url in enclosures), enclosures
    assert feed.feed.image.href.startswith(base + "/")
    assert "localhost:8000" not in body

    status, sitemap = get(f"{base}/sitemap.xml")
    assert status == 200
    locations = [
        element.text
        for element in etree.fromstring(sitemap.encode()).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    assert locations
    assert all(url.startswith(base + "/") for url in locations), locations


def test_unknown_address_shows_the_sites_own_404_page(demo):
    status, body = get(f"http://127.0.0.1:{demo['port']}/de/gibt-es-nicht/")
    assert status == 404
    assert "Seite nicht gefunden" in body
    assert "URLconf" not in body  # Django's technical 404 page
    assert '<html lang="de"' in body
