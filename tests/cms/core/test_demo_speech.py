"""The demo's episodes speak their transcript and its videos their captions (where espeak-ng
is installed)."""

import re
import shutil
import subprocess

import pytest

from cms.core.demo_speech import speak_at
from cms.videos.demo import generate_video
from media_pipeline.binaries import ffmpeg_path

pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"
)


def sounding_spans(path) -> list[tuple[float, float]]:
    """(start, end) of the parts louder than -40 dBFS, from ffmpeg's silencedetect."""
    result = subprocess.run(
        [ffmpeg_path(), "-hide_banner", "-nostdin", "-i", str(path),
         "-af", "silencedetect=n=-40dB:d=0.7", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    starts = [float(v) for v in re.findall(r"silence_start: ([\d.]+)", result.stderr)]
    ends = [float(v) for v in re.findall(r"silence_end: ([\d.]+)", result.stderr)]
    # Sound lies between a silence's end and the next silence's start.
    edges = ([0.0] if not ends or (starts and starts[0] > 0.05) else []) + ends
    spans = [(edge, next((s for s in starts if s > edge), None)) for edge in edges]
    return [(start, end) for start, end in spans if end is not None]  # not the file's end


def test_each_sentence_is_spoken_from_its_cue_on(tmp_path):
    wav = tmp_path / "folge.wav"
    cues = [(0.0, "Willkommen bei Smarter Mittelstand."), (8.0, "Welche Frage war das?")]

    assert speak_at(wav, cues, 15.0)

    spans = sounding_spans(wav)
    assert [round(start) for start, _ in spans] == [0, 8]
    assert all(end - start > 0.8 for start, end in spans)
    duration = subprocess.run(
        [ffmpeg_path(), "-hide_banner", "-i", str(wav)], capture_output=True, text=True
    ).stderr
    assert "Duration: 00:00:15.00" in duration


def duration_of(path) -> float:
    result = subprocess.run(
        [ffmpeg_path(), "-hide_banner", "-i", str(path)], capture_output=True, text=True
    ).stderr
    hours, minutes, seconds = re.search(r"Duration: (\d+):(\d+):([\d.]+)", result).groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def test_a_demo_video_says_its_captions_and_lasts_as_long_as_the_speech(settings, tmp_path):
    # The demo's own videos are 1080p and 720p; a small picture shows the same.
    settings.DEMO_VIDEOS_SPEAK, settings.VAR_DIR = True, tmp_path / "var"
    data = {
        "size": "320x180",
        "rotate": 0,
        "german": ["Was ist eine Cloud?", "Die Cloud speichert Daten in einem Rechenzentrum."],
    }
    video = tmp_path / "kurz-erklaert.mp4"

    times = generate_video(video, data, seed=1)

    spans = sounding_spans(video)
    assert len(times) == len(spans) == 2
    for (start, end), (sound_start, sound_end) in zip(times, spans, strict=True):
        # espeak-ng ends each sentence with a little silence of its own; the caption holds it.
        assert abs(start - sound_start) < 0.2 and 0 <= end - sound_end < 0.5
    assert 4 < times[-1][1] < duration_of(video) < times[-1][1] + 1.5  # no minutes of silence
    # A second demo load copies the clip and its times from the cache.
    again = tmp_path / "again.mp4"
    assert generate_video(again, data, seed=1) == times
    assert again.read_bytes() == video.read_bytes()


def test_without_speech_the_demo_video_is_six_seconds_of_tone(settings, tmp_path):
    settings.DEMO_VIDEOS_SPEAK, settings.VAR_DIR = False, tmp_path / "var"
    data = {"size": "320x180", "rotate": 0, "german": ["Eins.", "Zwei.", "Drei."]}
    video = tmp_path / "ton.mp4"

    times = generate_video(video, data, seed=1)

    assert times == [(0.0, 1.9), (2.0, 3.9), (4.0, 5.9)]
    assert sounding_spans(video) == []  # one tone throughout: no silence at all
    assert round(duration_of(video)) == 6
