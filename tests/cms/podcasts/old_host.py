"""The "old host" a podcast moves away from: a small HTTP server on the loopback interface that
serves feeds shaped like those of common hosting services, Castopod and Podlove Publisher,
with cover art, chapters, transcripts and audio made by the real ffmpeg."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from media_pipeline.binaries import ffmpeg_path


class OldHost:
    """Serves ``files`` (path → (body, content type)); ``redirects`` (path → path) answer 301.
    Paths in ``no_length`` are sent without Content-Length (the body ends when the
    connection closes, as from a streaming server). ``requests`` lists every path asked for."""

    def __init__(self):
        self.files: dict[str, tuple[bytes, str]] = {}
        self.redirects: dict[str, str] = {}
        self.no_length: set[str] = set()
        self.requests: list[str] = []
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                host.requests.append(self.path)
                if self.path in host.redirects:
                    self.send_response(301)
                    self.send_header("Location", host.redirects[self.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.path not in host.files:
                    self.send_error(404)
                    return
                body, content_type = host.files[self.path]
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                if self.path not in host.no_length:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # The importer may stop reading (too large): that is not an error here.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def add(self, path: str, body: bytes | str, content_type: str) -> str:
        self.files[path] = (body.encode() if isinstance(body, str) else body, content_type)
        return self.url(path)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


_TONES: dict[tuple[float, int], bytes] = {}


def tone_mp3(folder: Path, seconds: float, frequency: int) -> bytes:
    """A mono MP3 of a sine tone (each frequency gives a different file); made once a run."""
    if (seconds, frequency) in _TONES:
        return _TONES[seconds, frequency]
    target = folder / f"tone-{frequency}-{seconds}.mp3"
    subprocess.run(
        [
            ffmpeg_path(), "-v", "error", "-nostdin", "-y",
            "-f", "lavfi",
            "-i", f"sine=frequency={frequency}:duration={seconds}:sample_rate=44100",
            "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k", str(target),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    _TONES[seconds, frequency] = target.read_bytes()
    return _TONES[seconds, frequency]


def cover_png(size: int = 1400) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (size, size), (11, 83, 148)).save(buffer, format="PNG")
    return buffer.getvalue()


# --- Castopod -----------------------------------------------------------------------------

CASTOPOD_GUID = "9b2d7a3c-5f1e-5c4a-8e7d-2a6b3c4d5e6f"
CASTOPOD_ITEM_GUIDS = [str(uuid.UUID(int=n)) for n in (101, 102)]


def castopod_feed(host: OldHost) -> str:
    """A Castopod 1.x feed: podcast:guid, locked, funding, persons, JSON chapters, JSON and
    SRT transcripts, UUID item guids, HTML in CDATA descriptions; serial."""
    base = host.base
    items = []
    for number, guid in enumerate(CASTOPOD_ITEM_GUIDS, start=1):
        transcript = (
            f'<podcast:transcript url="{base}/@werkstatt/episodes/{number}/transcript.json" '
            'type="application/json" language="de"/>'
            if number == 1
            else f'<podcast:transcript url="{base}/@werkstatt/episodes/{number}/transcript.srt" '
            'type="application/x-subrip" language="de"/>'
        )
        items.append(f"""
    <item>
      <title>Folge {number}: Werkstatt digital</title>
      <link>{base}/@werkstatt/episodes/folge-{number}</link>
      <guid isPermaLink="false">{guid}</guid>
      <pubDate>Mon, 0{number} Jun 2025 08:00:00 +0000</pubDate>
      <enclosure url="{base}/audio/@werkstatt/folge-{number}.mp3" type="audio/mpeg"
        length="{len(host.files[f"/audio/@werkstatt/folge-{number}.mp3"][0])}"/>
      <description><![CDATA[<p>Heute: <strong>Auftragsplanung</strong>.
        <script>alert("x")</script><a href="javascript:alert(1)">klick</a>
        <a href="https://zentrum-nord.example/links" onclick="x()">Links</a></p>
        <img src="https://tracker.example/pixel.gif"/>]]></description>
      <itunes:duration>3</itunes:duration>
      <itunes:explicit>false</itunes:explicit>
      <itunes:episodeType>full</itunes:episodeType>
      <itunes:season>1</itunes:season>
      <itunes:episode>{number}</itunes:episode>
      <podcast:chapters url="{base}/@werkstatt/episodes/{number}/chapters.json"
        type="application/json+chapters"/>
      {transcript}
      <podcast:person role="guest" group="cast">Jonas Albrecht</podcast:person>
    </item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
  xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <atom:link href="{base}/@werkstatt/feed.xml" rel="self" type="application/rss+xml"/>
    <podcast:guid>{CASTOPOD_GUID}</podcast:guid>
    <title>Werkstattfunk</title>
    <description><![CDATA[<p>Gespräche aus der <strong>Werkstatt</strong>.</p>]]></description>
    <link>{base}/@werkstatt</link>
    <generator>Castopod - https://castopod.org/</generator>
    <language>de</language>
    <copyright>© 2025 Zentrum Nord, CC BY 4.0</copyright>
    <podcast:locked owner="podcast@zentrum-nord.example">no</podcast:locked>
    <podcast:funding url="https://zentrum-nord.example/foerderung"
      >Gefördert vom BMWK</podcast:funding>
    <podcast:person role="host" group="cast"
      href="https://zentrum-nord.example/anna">Anna Berg</podcast:person>
    <itunes:image href="{base}/media/werkstatt/cover.png"/>
    <itunes:category text="Business"><itunes:category text="Entrepreneurship"/></itunes:category>
    <itunes:category text="Technology"/>
    <itunes:explicit>false</itunes:explicit>
    <itunes:author>Zentrum Nord</itunes:author>
    <itunes:owner><itunes:name>Zentrum Nord</itunes:name>
      <itunes:email>podcast@zentrum-nord.example</itunes:email></itunes:owner>
    <itunes:type>serial</itunes:type>
    {"".join(items)}
  </channel>
</rss>"""


def serve_castopod(host: OldHost, folder: Path) -> str:
    for number in (1, 2):
        host.add(
            f"/audio/@werkstatt/folge-{number}.mp3",
            tone_mp3(folder, 3, 300 + number),
            "audio/mpeg",
        )
        host.add(
            f"/@werkstatt/episodes/{number}/chapters.json",
            json.dumps(
                {
                    "version": "1.2.0",
                    "chapters": [
                        {"startTime": 0, "title": "Begrüßung"},
                        {"startTime": 1.5, "title": "Die Planung", "url": "https://example.org/"},
                    ],
                }
            ),
            "application/json+chapters",
        )
    host.add(
        "/@werkstatt/episodes/1/transcript.json",
        json.dumps(
            {
                "version": "1.0.0",
                "segments": [
                    {"speaker": "Anna Berg", "startTime": 0, "endTime": 1.2, "body": "Hallo!"},
                    {
                        "speaker": "Jonas Albrecht",
                        "startTime": 1.2,
                        "endTime": 2.5,
                        "body": "Danke <für> die Einladung.",
                    },
                ],
            }
        ),
        "application/json",
    )
    host.add(
        "/@werkstatt/episodes/2/transcript.srt",
        "1\n00:00:00,000 --> 00:00:01,200\nHallo zur zweiten Folge.\n\n"
        "2\n00:00:01,200 --> 00:00:02,500\nHeute geht es weiter.\n",
        "application/x-subrip",
    )
    host.add("/media/werkstatt/cover.png", cover_png(), "image/png")
    return host.add("/@werkstatt/feed.xml", castopod_feed(host), "application/rss+xml")


# --- Podlove Publisher --------------------------------------------------------------------


def podlove_feed(host: OldHost, episodes: int = 2) -> str:
    """A Podlove Publisher feed (WordPress): no podcast:guid, Podlove Simple Chapters, WebVTT
    transcripts, content:encoded show notes, item guids like ``podlove-<date>-<hash>``."""
    base = host.base
    items = []
    for number in range(1, episodes + 1):
        items.append(f"""
    <item>
      <title>PM{number:03d} Prozesse im Griff</title>
      <link>{base}/pm{number:03d}/</link>
      <pubDate>Thu, 1{number} Sep 2025 10:00:00 +0200</pubDate>
      <guid isPermaLink="false">podlove-2025-09-1{number}t08:00:00+00:00-5c7f1a2b{number}</guid>
      <description>Kurz: wie ein Betrieb seine Prozesse sortiert.</description>
      <itunes:summary>Wie ein Betrieb seine Prozesse sortiert (Teil {number}).</itunes:summary>
      <content:encoded><![CDATA[<h2>Themen</h2><ul><li>Prozesse</li><li>Werkzeuge</li></ul>
        <p>Mehr <a href="https://prozesse.example/pm{number:03d}">auf der Website</a>.</p>
        <iframe src="https://player.example/embed"></iframe>]]></content:encoded>
      <enclosure url="{base}/podlove/file/{number}/s/feed/c/mp3/pm{number:03d}.mp3"
        length="1" type="audio/mpeg"/>
      <itunes:duration>00:00:03</itunes:duration>
      <itunes:author>Prozesswerk</itunes:author>
      <psc:chapters version="1.2" xmlns:psc="http://podlove.org/simple-chapters">
        <psc:chapter start="00:00:00.000" title="Intro"/>
        <psc:chapter start="00:00:01.250" title="Werkzeuge" href="https://prozesse.example/w"/>
      </psc:chapters>
      <podcast:transcript url="{base}/podlove/transcript/pm{number:03d}.vtt" type="text/vtt"/>
    </item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:atom="http://www.w3.org/2005/Atom" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
  xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:psc="http://podlove.org/simple-chapters">
  <channel>
    <title>Prozesswerk</title>
    <link>{base}/</link>
    <description>Der Podcast über Prozesse im Mittelstand.</description>
    <lastBuildDate>Thu, 18 Sep 2025 10:00:00 +0200</lastBuildDate>
    <atom:link rel="self" type="application/rss+xml" href="{base}/feed/mp3/"/>
    <generator>Podlove Podcast Publisher v4.1</generator>
    <language>de-DE</language>
    <managingEditor>redaktion@prozesswerk.example (Prozesswerk)</managingEditor>
    <itunes:author>Prozesswerk</itunes:author>
    <itunes:type>episodic</itunes:type>
    <itunes:summary>Der Podcast über Prozesse im Mittelstand.</itunes:summary>
    <itunes:category text="Education"/>
    <itunes:image href="{base}/wp-content/cover.png"/>
    <itunes:explicit>no</itunes:explicit>
    {"".join(items)}
  </channel>
</rss>"""


def serve_podlove(host: OldHost, folder: Path, episodes: int = 2) -> str:
    for number in range(1, episodes + 1):
        host.add(
            f"/podlove/file/{number}/s/feed/c/mp3/pm{number:03d}.mp3",
            tone_mp3(folder, 3, 500 + number),
            "audio/mpeg",
        )
        host.add(
            f"/podlove/transcript/pm{number:03d}.vtt",
            "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Lea>Willkommen.\n\n"
            "00:00:01.000 --> 00:00:02.000\n<v Tom>Los geht's.\n",
            "text/vtt",
        )
    host.add("/wp-content/cover.png", cover_png(), "image/png")
    return host.add("/feed/mp3/", podlove_feed(host, episodes), "application/rss+xml")


# --- a typical hosting service (Libsyn, Podigee, Anchor style) -----------------------------


def hosted_feed(host: OldHost, sizes: dict[str, int], cover: bool = False) -> str:
    """Plain iTunes RSS: no Podcasting 2.0 tags, permalink guids, plain-text descriptions."""
    base = host.base
    image = ""
    if cover:
        image = f'<itunes:image href="{host.add("/cover.png", cover_png(), "image/png")}"/>'

    items = "".join(
        f"""
    <item>
      <title>{name.title()}</title>
      <guid isPermaLink="true">{base}/episodes/{name}</guid>
      <pubDate>Tue, 0{index} Jul 2025 06:00:00 GMT</pubDate>
      <description>Folge {name}.

Zweiter Absatz &amp; mehr.</description>
      <enclosure url="{base}/media/{name}.mp3" length="{size}" type="audio/mpeg"/>
      <itunes:explicit>no</itunes:explicit>
    </item>"""
        for index, (name, size) in enumerate(sizes.items(), start=1)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
  <channel>
    <title>Digital vor Ort</title>
    <link>{base}/</link>
    <language>de</language>
    <description>Digitalisierung zum Anhören.</description>
    <itunes:owner><itunes:name>Team</itunes:name><itunes:email>team@digital.example</itunes:email></itunes:owner>
    <itunes:category text="Business"/>
    {image}
    {items}
  </channel>
</rss>"""
