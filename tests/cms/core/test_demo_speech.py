"""The demo's episodes speak their transcript (where espeak-ng is installed)."""

import re
import shutil
import subprocess

import pytest

from cms.core.demo_speech import speak_at
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
