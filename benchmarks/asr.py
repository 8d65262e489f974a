"""Speech recognition on the shipped Whisper base model: realtime factor, peak memory, WER.

Synthetic German speech from espeak-ng (sentences of the demo's domain, repeated with pauses
up to ``BENCH_SECONDS``, default 600 = 10 minutes) is recognised as the speech batch does it
(int8, VAD, word timestamps, ``ASR_THREADS``), with beam 1 and beam 5. Prints the realtime
factor (media seconds per wall second; target ≥ 3 with beam 1 on 2 cores), the process's
peak RSS (target ≤ 1.5 GB) and the word error rate without and with the vocabulary hints
(the centre's own words) on the first minute.

    .venv/bin/python benchmarks/asr.py              # about 10 minutes of speech, twice
    .venv/bin/python benchmarks/asr.py --minutes 1  # a quick run (or BENCH_SECONDS=60)
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

SENTENCES = [
    "Willkommen beim Podcast Smarter Mittelstand.",
    "Heute sprechen wir über Kundenservice im Handwerk.",
    "Das Mittelstand-Digital Zentrum hilft kleinen Betrieben bei der Digitalisierung.",
    "Viele Betriebe beginnen mit der digitalen Buchhaltung.",
    "Eine klare Website ist oft der erste Kontakt mit neuen Kunden.",
    "Die Cloud speichert Daten in einem Rechenzentrum.",
]
HINTS = ["Smarter Mittelstand", "Mittelstand-Digital Zentrum", "Kundenservice", "Cloud"]


def setup():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django

    django.setup()


def speak(folder: Path, seconds: float) -> tuple[Path, str, float]:
    """A WAV of at least ``seconds`` of speech (sentences with 0.6 s pauses) and its text."""
    binary = shutil.which("espeak-ng")
    if binary is None:
        sys.exit("espeak-ng is not installed (apt-get install espeak-ng)")
    one = folder / "round.wav"
    ssml = " ".join(f'{s} <break time="600ms"/>' for s in SENTENCES)
    subprocess.run(
        [binary, "-m", "-v", "de", "-s", "140", "-w", str(one), f"<speak>{ssml}</speak>"],
        check=True,
    )
    with wave.open(str(one), "rb") as handle:
        params, frames = handle.getparams(), handle.readframes(handle.getnframes())
    round_seconds = params.nframes / params.framerate
    rounds = max(1, int(seconds // round_seconds + (seconds % round_seconds > 0)))
    path = folder / "speech.wav"
    with wave.open(str(path), "wb") as out:
        out.setparams(params)
        for _ in range(rounds):
            out.writeframes(frames)
    return path, " ".join(SENTENCES * rounds), rounds * round_seconds


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--minutes",
        type=float,
        default=float(os.environ.get("BENCH_SECONDS", "600")) / 60,
        help="minutes of speech to recognise (default 10, or BENCH_SECONDS / 60)",
    )
    seconds = parser.parse_args().minutes * 60
    setup()
    import jiwer
    from django.conf import settings
    from django.test import override_settings

    from media_pipeline import asr, speech

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path, _text, duration = speak(folder, seconds)
        pcm = speech.decode(path, folder / "pcm.wav", timeout=600)
        samples = speech.read_pcm(pcm)
        started = time.monotonic()
        asr.load_model()
        print(f"model load: {time.monotonic() - started:.1f} s ({asr.status()})")
        print(f"speech: {duration / 60:.1f} min of espeak-ng German, {os.cpu_count()} cores")
        for beam in (1, 5):
            with override_settings(ASR_BEAM_SIZE=beam):
                started, cpu = time.monotonic(), time.process_time()
                result = asr.recognise(samples, language="de")
                wall, cpu = time.monotonic() - started, time.process_time() - cpu
            print(
                f"beam {beam}: {wall:.1f} s wall, {cpu:.1f} s CPU, realtime factor "
                f"{duration / wall:.2f}x, {len(result.words)} words"
            )
        first_round = speak(folder, 1)
        reference = normalise(first_round[1])
        for hints in (None, HINTS):
            result = asr.recognise(str(first_round[0]), language="de", vocabulary=hints)
            score = jiwer.wer(reference, normalise(result.text))
            print(f"WER {'with' if hints else 'without'} hints: {score:.2f} ({result.text!r})")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of the process: {rss:.0f} MB (threads: {settings.ASR_THREADS})")


if __name__ == "__main__":
    main()
