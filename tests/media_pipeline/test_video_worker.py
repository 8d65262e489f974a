"""The video profile end to end through a real Celery worker and ``import_media --json``."""

import json

import pytest
from django.core.files.storage import default_storage

from media_pipeline.specs import (
    VIDEO_AUDIO_ONLY_SPEC,
    VIDEO_HLS_SPEC,
    VIDEO_LADDER_SPECS,
    VIDEO_POSTER_SPEC,
    VIDEO_SPRITE_SPEC,
)
from tests.media_pipeline.test_worker import process_env, run_import, start_worker  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_makes_every_output_of_a_video_and_import_media_lists_them(
    start_worker,  # noqa: F811
    process_env,  # noqa: F811
    make_media,
):
    video = make_media(
        "kurz-erklaert.mp4",
        "-f", "lavfi", "-i", "testsrc2=size=854x480:rate=25:duration=4",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=4:sample_rate=48000",
        "-ac", "2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest",
    )  # fmt: skip
    start_worker()
    result = run_import(process_env, video, "--title", "Kurz erklärt", "--wait", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert (report["kind"], report["width"], report["height"]) == ("video", 854, 480)
    renditions = {r["spec"]: r for r in report["renditions"]}
    assert set(renditions) == {
        VIDEO_LADDER_SPECS[480], VIDEO_LADDER_SPECS[360], VIDEO_HLS_SPEC,
        VIDEO_POSTER_SPEC, VIDEO_SPRITE_SPEC, VIDEO_AUDIO_ONLY_SPEC,
    }  # fmt: skip
    assert {r["status"] for r in renditions.values()} == {"ready"}
    expected = {
        VIDEO_LADDER_SPECS[480]: ("video/mp4", 854, 480),
        VIDEO_LADDER_SPECS[360]: ("video/mp4", 640, 360),
        VIDEO_HLS_SPEC: ("application/vnd.apple.mpegurl", 854, 480),
        VIDEO_POSTER_SPEC: ("image/jpeg", 854, 480),
        VIDEO_SPRITE_SPEC: ("image/jpeg", 160, 90),
        VIDEO_AUDIO_ONLY_SPEC: ("audio/mp4", None, None),
    }
    for spec, (mime_type, width, height) in expected.items():
        rendition = renditions[spec]
        assert (rendition["mime_type"], rendition["width"], rendition["height"]) == (
            mime_type, width, height,
        ), spec  # fmt: skip
        assert rendition["size"] > 0 and default_storage.exists(rendition["storage_name"])
    assert renditions[VIDEO_HLS_SPEC]["url"].endswith(".hls.master/master.m3u8")
    sprite = renditions[VIDEO_SPRITE_SPEC]
    assert sprite["track_url"].endswith(".vtt")
    assert default_storage.exists(sprite["track_storage_name"])
    audio_only = renditions[VIDEO_AUDIO_ONLY_SPEC]
    assert abs(audio_only["loudness_lufs"] + 16) <= 1 and audio_only["true_peak_dbtp"] <= -1
