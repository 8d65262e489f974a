"""Waveform peaks for players and the admin, from the low-rate PCM the transcode writes."""

from __future__ import annotations

import array
from pathlib import Path

from .ffmpeg_commands import WAVEFORM_SAMPLE_RATE


def compute_peaks(pcm_path: Path, count: int) -> dict:
    """Return ``{"sample_rate", "length", "data": [min0, max0, min1, max1, …]}`` with values in
    -1…1, ``count`` pairs over the whole recording (the layout audiowaveform/peaks.js read)."""
    samples = array.array("h")
    with pcm_path.open("rb") as handle:
        samples.frombytes(handle.read())
    total = len(samples)
    data = []
    if total:
        for index in range(count):
            start = index * total // count
            end = max((index + 1) * total // count, start + 1)
            window = samples[start:end]
            data += [round(min(window) / 32768, 4), round(max(window) / 32767, 4)]
    return {
        "version": 2,
        "channels": 1,
        "sample_rate": WAVEFORM_SAMPLE_RATE,
        "samples_per_pixel": max(total // count, 1),
        "bits": 16,
        "length": count,
        "data": data,
    }
