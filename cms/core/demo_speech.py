"""Spoken German for the demo's recordings, where espeak-ng is installed.

The demo's episodes say their transcript's sentences at the transcript's times, and its
explainer videos say their captions' lines one after the other (the captions follow the
speech), instead of playing a tone, so the first start of ``make demo`` has recordings that
speech recognition can turn into draft captions and transcripts for an editor to review (the
recognition runs in the background on the ``asr`` queue; loading the demo never waits for
it). Without espeak-ng (``apt-get install espeak-ng``) the episodes fall back to
speech-like noise and the videos to a tone.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

from media_pipeline.binaries import ffmpeg_path

# Words per minute: a calm presenter's pace, which the recognition follows well.
WORDS_PER_MINUTE = 165


def espeak_binary() -> str | None:
    return shutil.which("espeak-ng")


def speak_at(
    path: Path, cues: list[tuple[float, str]], seconds: float, *, language: str = "de"
) -> bool:
    """Write ``seconds`` of 44.1 kHz stereo WAV to ``path`` in which each ``(start, text)`` of
    ``cues`` is spoken from ``start`` on; False (nothing written) without espeak-ng."""
    espeak = espeak_binary()
    if espeak is None or not cues:
        return False
    with tempfile.TemporaryDirectory(prefix="lernfunk-speech-") as folder:
        placed = [
            (start, _speak(espeak, Path(folder), number, text, language))
            for number, (start, text) in enumerate(cues)
        ]
        _mix(path, placed, seconds)
    return True


def speak_lines(
    path: Path, lines: list[str], *, pause: float = 0.8, language: str = "de"
) -> list[tuple[float, float, str]] | None:
    """Write a 44.1 kHz stereo WAV to ``path`` that says ``lines`` one after the other, with
    ``pause`` seconds of silence before, between and after them; return ``(start, end,
    line)`` of each, or None (nothing written) without espeak-ng. The default pause is the one
    at which the recognition's cues always break (``media_pipeline.cues``), so draft cues end
    where the lines do."""
    espeak = espeak_binary()
    if espeak is None or not lines:
        return None
    with tempfile.TemporaryDirectory(prefix="lernfunk-speech-") as folder:
        timed, placed, start = [], [], pause
        for number, line in enumerate(lines):
            spoken = _speak(espeak, Path(folder), number, line, language)
            with wave.open(str(spoken), "rb") as handle:
                end = start + handle.getnframes() / handle.getframerate()
            timed.append((round(start, 3), round(end, 3), line))
            placed.append((start, spoken))
            start = end + pause
        _mix(path, placed, round(start, 3))
    return timed


def _speak(espeak: str, folder: Path, number: int, text: str, language: str) -> Path:
    spoken = folder / f"cue-{number}.wav"
    subprocess.run(
        [espeak, "-v", language, "-s", str(WORDS_PER_MINUTE), "-w", str(spoken), text],
        check=True,
        timeout=30,
        capture_output=True,
    )
    return spoken


def _mix(path: Path, placed: list[tuple[float, Path]], seconds: float) -> None:
    """Each spoken file from its start on, in ``seconds`` of stereo WAV at ``path``."""
    inputs, graph = [], []
    for number, (start, spoken) in enumerate(placed):
        inputs += ["-i", str(spoken)]
        delay = round(start * 1000)
        graph.append(f"[{number}:a]aresample=44100,adelay={delay}|{delay}[c{number}]")
    mix = "".join(f"[c{n}]" for n in range(len(placed)))
    graph.append(
        f"{mix}amix=inputs={len(placed)}:normalize=0:dropout_transition=0,"
        f"apad=whole_dur={seconds},atrim=end={seconds}[out]"
    )
    subprocess.run(
        [
            ffmpeg_path(), "-v", "error", "-nostdin", "-y", *inputs,
            "-filter_complex", ";".join(graph), "-map", "[out]",
            "-ac", "2", "-ar", "44100", "-c:a", "pcm_s16le", str(path),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
