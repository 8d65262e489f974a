"""EBU R128 measurement with ffmpeg's ``ebur128`` filter.

Why not the textbook two-pass ``loudnorm``: its analysis pass runs at about 38× realtime on our
machines, ``ebur128`` at about 277×. We measure once, apply the difference to the target as a
plain gain with a peak limiter (speech podcasts need no dynamic processing), and measure the
*encoded* outputs again, which is what listeners hear and what we store.

The source measurement is the one step nothing else can overlap (the gain depends on it), so a
long recording is measured in two halves on two cores: each ``ebur128`` logs its 400 ms gating
blocks (every 100 ms) and ``integrated_from_blocks`` applies BS.1770's gates (absolute
−70 LUFS, relative −10 LU) to the blocks of both halves, as one pass would. The encoded
outputs are measured by processes reading the encoders' FIFOs (see ``ffmpeg_commands``).
"""

from __future__ import annotations

import math
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from .binaries import ffmpeg_path
from .exceptions import TranscodeError
from .ffmpeg_commands import build_loudness_command
from .runner import run_bounded, run_bounded_many

_INTEGRATED = re.compile(r"Integrated loudness:\s+I:\s+(-?[\d.]+|-inf) LUFS")
_PEAK = re.compile(r"(?:Sample peak:\s+Peak:\s+|max_volume: )(-?[\d.]+|-inf) dB")
_BLOCK = re.compile(r"\bM:\s*(-?[\d.]+|-inf|nan)")
SILENCE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
# Below this the source is measured in one pass; above it in two halves side by side.
SPLIT_MIN_SECONDS = 120.0
# The second half starts this much earlier; its first blocks (400 ms windows not yet full, the
# part the first half has measured already) are dropped, so the block grid continues exactly.
_OVERLAP_BLOCKS = 3
_BLOCK_SECONDS = 0.1


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_dbtp: float

    @property
    def is_silent(self) -> bool:
        return self.integrated_lufs <= SILENCE_LUFS


def parse_ebur128_summary(stderr: str) -> Loudness:
    # Inside a filter graph ebur128 may print an early, bogus summary: the last one counts.
    integrated, peaks = _INTEGRATED.findall(stderr), _PEAK.findall(stderr)
    if not integrated or not peaks:
        raise ValueError("no loudness summary in ffmpeg output")

    def value(text):
        return SILENCE_LUFS if text == "-inf" else float(text)

    return Loudness(value(integrated[-1]), value(peaks[-1]))


def parse_block_loudness(stderr: str) -> list[float]:
    """Momentary loudness (LUFS) of every 400 ms block ``ebur128=framelog=info`` logged."""
    return [float(v) if v not in ("-inf", "nan") else -math.inf for v in _BLOCK.findall(stderr)]


def integrated_from_blocks(blocks: list[float]) -> float:
    """BS.1770-4 integrated loudness from gating-block loudness values (LUFS)."""

    def mean_loudness(values):
        energy = sum(10 ** ((value + 0.691) / 10) for value in values) / len(values)
        return -0.691 + 10 * math.log10(energy)

    gated = [value for value in blocks if value > SILENCE_LUFS]
    if not gated:
        return SILENCE_LUFS
    threshold = mean_loudness(gated) + RELATIVE_GATE_LU
    gated = [value for value in gated if value > threshold]
    return max(mean_loudness(gated), SILENCE_LUFS) if gated else SILENCE_LUFS


def measure_source_loudness(
    path: Path,
    *,
    duration: float,
    timeout: float,
    demuxer: str | None,
    channels: int,
    audio_index: int = 0,
    waveform_path: Path | None = None,
) -> Loudness:
    """Integrated loudness and sample peak of the source, downmixed as the encode will be.

    Recordings of ``SPLIT_MIN_SECONDS`` or more are measured as two halves in parallel. With
    ``waveform_path`` the same decode writes the waveform's low-rate mono PCM there (before
    any gain; see ``waveform.compute_peaks``)."""
    ffmpeg = ffmpeg_path()
    if duration < SPLIT_MIN_SECONDS:
        if waveform_path is None:
            return measure_loudness(
                path,
                timeout=timeout,
                demuxer=demuxer,
                channels=channels,
                true_peak=False,
                audio_index=audio_index,
            )
        argv = build_loudness_command(
            ffmpeg, path, demuxer, channels, true_peak=False, audio_index=audio_index,
            waveform_path=waveform_path,
        )  # fmt: skip
        result = run_bounded(argv, timeout=timeout)
        try:
            if result.returncode != 0:
                raise ValueError(result.stderr[-500:])
            return parse_ebur128_summary(result.stderr)
        except ValueError as exc:
            raise TranscodeError(
                _("The loudness of the recording could not be measured."), detail=str(exc)
            ) from None
    split = round(duration / 2, 1)
    second_start = split - _OVERLAP_BLOCKS * _BLOCK_SECONDS
    halves = [None, None]
    if waveform_path is not None:
        halves = [waveform_path, waveform_path.with_name(f"{waveform_path.name}.second")]
    argvs = [
        build_loudness_command(
            ffmpeg,
            path,
            demuxer,
            channels,
            true_peak=False,
            duration=split,
            block_log=True,
            audio_index=audio_index,
            waveform_path=halves[0],
        ),
        build_loudness_command(
            ffmpeg,
            path,
            demuxer,
            channels,
            true_peak=False,
            start=second_start,
            block_log=True,
            audio_index=audio_index,
            waveform_path=halves[1],
            waveform_skip_seconds=split - second_start,
        ),
    ]
    results = run_bounded_many(argvs, timeout=timeout, fail_fast=True)
    try:
        for result in results:
            if result.returncode != 0:
                raise ValueError(result.stderr[-500:])
        first, second = (parse_ebur128_summary(result.stderr) for result in results)
        blocks = parse_block_loudness(results[0].stderr)
        blocks += parse_block_loudness(results[1].stderr)[_OVERLAP_BLOCKS:]
    except ValueError as exc:
        raise TranscodeError(
            _("The loudness of the recording could not be measured."), detail=str(exc)
        ) from None
    if waveform_path is not None:
        with waveform_path.open("ab") as whole, halves[1].open("rb") as second_half:
            shutil.copyfileobj(second_half, whole)
        halves[1].unlink()
    return Loudness(
        integrated_from_blocks(blocks), max(first.true_peak_dbtp, second.true_peak_dbtp)
    )


def measure_loudness(
    path: Path,
    *,
    timeout: float,
    demuxer: str | None = None,
    channels: int | None = None,
    true_peak: bool = True,
    audio_index: int = 0,
) -> Loudness:
    """Integrated loudness and peak (true peak, or sample peak with ``true_peak=False``)."""
    argv = build_loudness_command(
        ffmpeg_path(), path, demuxer, channels, true_peak=true_peak, audio_index=audio_index
    )
    result = run_bounded(argv, timeout=timeout)
    try:
        if result.returncode != 0:
            raise ValueError(result.stderr[-500:])
        return parse_ebur128_summary(result.stderr)
    except ValueError as exc:
        raise TranscodeError(
            _("The loudness of the recording could not be measured."), detail=str(exc)
        ) from None


def gain_to_target(measured: Loudness, target_lufs: float) -> float:
    """dB to add so the integrated loudness reaches the target; silence gets no gain."""
    if measured.is_silent:
        return 0.0
    return max(min(target_lufs - measured.integrated_lufs, 40.0), -40.0)
