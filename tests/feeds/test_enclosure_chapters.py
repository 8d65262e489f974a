"""Chapters of a published episode end up inside its MP3 enclosure as ID3 CHAP frames."""

import datetime as dt
import json
import subprocess

import pytest
from django.core.files.base import ContentFile

from cms.podcasts.models import EpisodeChapter
from cms.podcasts.signal_handlers import request_mp3_chapters
from media_pipeline.binaries import ffmpeg_path, ffprobe_path
from media_pipeline.specs import PODCAST_MP3_SPEC
from media_pipeline.tagging import write_rendition_chapters

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_mp3(tmp_path):
    path = tmp_path / "folge.mp3"
    subprocess.run(
        [ffmpeg_path(), "-v", "error", "-nostdin", "-f", "lavfi", "-i",
         "sine=frequency=440:duration=12", "-c:a", "libmp3lame", "-b:a", "64k", str(path)],
        check=True, timeout=60,
    )  # fmt: skip
    return path.read_bytes()


def episode_with_real_mp3(publish_episode, real_mp3):
    episode = publish_episode(title="Mit Kapiteln")
    rendition = episode.audio.renditions.get(spec=PODCAST_MP3_SPEC)
    rendition.file.save("folge.mp3", ContentFile(real_mp3), save=False)
    rendition.file_size, rendition.duration = len(real_mp3), 12.0
    rendition.save()
    return episode, rendition


def probe_chapters(rendition) -> list[tuple[float, str]]:
    with rendition.file.open("rb") as handle:
        data = handle.read()
    result = subprocess.run(
        [ffprobe_path(), "-v", "error", "-show_chapters", "-of", "json", "-i", "pipe:0"],
        input=data, capture_output=True, check=True, timeout=30,
    )  # fmt: skip
    chapters = json.loads(result.stdout)["chapters"]
    return sorted((float(c["start_time"]), c["tags"]["title"]) for c in chapters)


def test_published_chapters_are_written_into_the_enclosure(
    client, show, publish_episode, real_mp3, django_capture_on_commit_callbacks
):
    episode, rendition = episode_with_real_mp3(publish_episode, real_mp3)
    EpisodeChapter.objects.create(page=episode, start=dt.timedelta(0), title="Begrüßung")
    EpisodeChapter.objects.create(page=episode, start=dt.timedelta(seconds=5), title="Praxis")

    with django_capture_on_commit_callbacks() as callbacks:
        assert request_mp3_chapters(episode)
    assert len(callbacks) == 1  # one task, sent after commit

    chapters = [(c.start_seconds, c.title, c.url) for c in episode.chapters.all()]
    from media_pipeline.id3 import Chapter

    assert write_rendition_chapters(
        rendition.pk, [Chapter(*c) for c in chapters], title=episode.title
    )
    rendition.refresh_from_db()
    assert probe_chapters(rendition) == [(0.0, "Begrüßung"), (5.0, "Praxis")]
    assert rendition.file_size == rendition.file.size != len(real_mp3)
    # Same chapters again: nothing to do, nothing enqueued.
    assert not request_mp3_chapters(episode)

    # The feed announces the tagged file's exact length.
    from lxml import etree

    root = etree.fromstring(client.get(show.feed_path()).content)
    assert root.find("./channel/item/enclosure").get("length") == str(rendition.file_size)


def test_episode_without_chapters_leaves_a_fresh_rendering_alone(show, publish_episode, real_mp3):
    episode, _rendition = episode_with_real_mp3(publish_episode, real_mp3)
    assert not request_mp3_chapters(episode)
