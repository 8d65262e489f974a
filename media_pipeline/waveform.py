"""Waveform peaks for players and the admin, from the low-rate PCM the transcode writes."""

from __future__ import annotations

import array
from pathlib import Path

from .ffmpeg_commands import WAVEFORM_SAMPLE_RATE

READ_SAMPLES = 1 << 18  # 512 KiB at a time: memory stays flat whatever the duration


def compute_peaks(
    pcm_path: Path, count: int, *, gain_db: float = 0.0, ceiling: float = 1.0
) -> dict:
    """Return ``{"sample_rate", "length", "data": [min0, max0, min1, max1, …]}`` with values in
    -1…1, ``count`` pairs over the whole recording (the layout audiowaveform/peaks.js read).
    Reads the PCM in chunks, so a four-hour recording needs no more memory than a minute.

    ``gain_db`` and ``ceiling`` turn the PCM of the source (written while its loudness is
    measured, before the gain is known) into what listeners hear: the gain to the loudness
    target, and no value beyond the limiter's ceiling."""
    total = pcm_path.stat().st_size // 2
    lows = [0] * count
    highs = [0] * count
    if total:
        position = 0
        with pcm_path.open("rb") as handle:
            while True:
                chunk = array.array("h")
                chunk.frombytes(handle.read(READ_SAMPLES * 2))
                if not chunk:
                    break
                start = 0
                while start < len(chunk):
                    bucket = min((position + start) * count // total, count - 1)
                    bucket_end = -(-(bucket + 1) * total // count) - position  # ceil
                    end = min(max(bucket_end, start + 1), len(chunk))
                    window = chunk[start:end]
                    lows[bucket] = min(lows[bucket], min(window))
                    highs[bucket] = max(highs[bucket], max(window))
                    start = end
                position += len(chunk)
    scale = 10 ** (gain_db / 20)
    data = []
    for low, high in zip(lows, highs, strict=True):
        data += [
            round(max(low / 32768 * scale, -ceiling), 4),
            round(min(high / 32767 * scale, ceiling), 4),
        ]
    return {
        "version": 2,
        "channels": 1,
        "sample_rate": WAVEFORM_SAMPLE_RATE,
        "samples_per_pixel": max(total // count, 1),
        "bits": 16,
        "length": count,
        "data": data,
    }
