"""Spoken German for the demo's recordings, where espeak-ng is installed.

The demo's episodes say their transcript's sentences at the transcript's times instead of
playing a tone, so the first start of ``make demo`` has recordings that speech recognition
can turn into draft captions and transcripts for an editor to review (the recognition runs
in the background on the ``asr`` queue; loading the demo never waits for it). Without
espeak-ng (``apt-get install espeak-ng``) the demo falls back to speech-like noise.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
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
        inputs, graph = [], []
        for number, (start, text) in enumerate(cues):
            spoken = Path(folder) / f"cue-{number}.wav"
            subprocess.run(
                [espeak, "-v", language, "-s", str(WORDS_PER_MINUTE), "-w", str(spoken), text],
                check=True,
                timeout=30,
                capture_output=True,
            )
            inputs += ["-i", str(spoken)]
            delay = round(start * 1000)
            graph.append(f"[{number}:a]aresample=44100,adelay={delay}|{delay}[c{number}]")
        mix = "".join(f"[c{n}]" for n in range(len(cues)))
        graph.append(
            f"{mix}amix=inputs={len(cues)}:normalize=0:dropout_transition=0,"
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
    return True
