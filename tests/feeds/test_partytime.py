"""The feed as the Podcast Index reads it: its own parser, podcast-partytime (npm), run by
Node.js on the bytes Lernfunk serves.

The package is installed from the npm registry into the var folder on first use (``npm ci``
with ``tests/feeds/partytime/``'s lock file; a folder per test run, so two runs side by side
never share one ``node_modules``). Without Node.js and npm on the machine the tests are
skipped with that reason: feedparser and podcastparser still check the feed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from feeds.podcast import build_podcast_feed
from feeds.types import FeedTxt

from .test_podcast_feed import BASE_URL, make_episode, make_rich_episode, make_show

PARTYTIME = Path(__file__).parent / "partytime"


@pytest.fixture(scope="session")
def partytime():
    from django.conf import settings

    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("podcast-partytime needs Node.js and npm, which this machine lacks")
    folder = Path(settings.VAR_DIR) / "partytime"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json", "parse.js"):
        shutil.copyfile(PARTYTIME / name, folder / name)
    if not (folder / "node_modules" / "podcast-partytime").is_dir():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=folder,
            check=True,
            timeout=300,
        )

    def parse(xml: bytes) -> dict:
        result = subprocess.run(
            [node, str(folder / "parse.js")],
            input=xml,
            capture_output=True,
            check=True,
            timeout=60,
            env={**os.environ, "PARTYTIME_LOG": "error"},
        )
        return json.loads(result.stdout)

    return parse


def test_the_podcast_index_reads_every_tag_we_write(partytime):
    show = make_show(
        license="cc-by-4.0",
        update_frequency="Wöchentlich",
        update_rrule="FREQ=WEEKLY",
        txt=(FeedTxt("lernfunk-verify-4711", purpose="verify"),),
    )
    trailer = make_episode(5, episode_type="trailer", title="Bald: Staffel 2", season_number=2)
    episodes = [make_episode(1), make_rich_episode(), trailer]

    feed = partytime(build_podcast_feed(show, episodes, BASE_URL))

    assert feed is not None, "partytime refused the feed"
    assert feed["title"] == show.title
    assert feed["guid"] == show.podcast_guid
    assert feed["locked"] is True
    assert feed["language"] == "de"
    assert feed["itunesCategory"] == ["Business > Management", "Education > Courses", "Technology"]
    assert feed["podcastFunding"] == [
        {"message": "Unterstützen Sie uns", "url": f"{BASE_URL}/unterstuetzen/"}
    ]
    assert [(p["name"], p["group"]) for p in feed["podcastPeople"]] == [("Anna Größler", "Cast")]
    assert feed["license"] == {
        "identifier": "cc-by-4.0",
        "url": "https://spdx.org/licenses/CC-BY-4.0.html",
    }
    # partytime 5.0 does not read podcast:updateFrequency yet (feedparser and lxml check it).
    assert feed["podcastTxt"] == [{"value": "lernfunk-verify-4711", "purpose": "verify"}]
    (announced,) = feed["trailers"]
    assert announced["title"] == "Bald: Staffel 2"
    assert announced["url"] == BASE_URL + trailer.enclosure.url

    items = {item["guid"]: item for item in feed["items"]}
    assert set(items) == {episode.guid for episode in episodes}
    rich = items[make_rich_episode().guid]
    assert rich["enclosure"]["url"] == f"{BASE_URL}/media/audio/folge-4.mp3"
    assert rich["duration"] == 1804
    assert rich["podcastTranscripts"] == [
        {"url": f"{BASE_URL}/media/transkripte/folge-4.vtt", "type": "text/vtt", "language": "de"}
    ]
    assert rich["podcastChapters"]["url"].endswith("/folge-4/chapters.json")
    assert [(p["name"], p["role"]) for p in rich["podcastPeople"]] == [
        ("Anna Größler", "Host"),
        ("Dr. Ömer Şahin", "Guest"),
    ]
    defaults = [alt["default"] for alt in rich["alternativeEnclosures"]]
    assert defaults == [True, False, False]  # the main enclosure, then AAC and video
    assert rich["alternativeEnclosures"][1]["codecs"] == "mp4a.40.2"
    assert items[trailer.guid]["itunesEpisodeType"] == "trailer"
