"""The audio batch: podcast MP3 and AAC (loudness-normalised) and the waveform, from one
measurement of the source and one process per encoder, each decoding the source itself (see
``ffmpeg_commands``).

``transcode_audio`` is called by ``services.run_batch`` with the batch's claimed rows and
returns verified ``Output``s in the work folder; it never touches the database or storage.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .binaries import ffmpeg_path
from .exceptions import TranscodeError
from .faults import check_process_output
from .ffmpeg_commands import (
    LIMITER_CEILING_DB,
    OutputTarget,
    build_output_measure_command,
    build_transcode_command,
    loudness_target,
    output_channels,
)
from .loudness import gain_to_target, measure_source_loudness, parse_ebur128_summary
from .probe import MediaInfo
from .progress import ProgressRecorder
from .results import Output
from .runner import ProcessTimeout, run_bounded_many
from .specs import RenditionSpec
from .waveform import compute_peaks

# How far a normalised output may stay from its target before editors are told.
LOUDNESS_TOLERANCE_LU = 1.0
# Output duration may differ from the sound's by this much (encoder padding).
DURATION_TOLERANCE = 0.1


def transcode_audio(
    specs: dict[int, RenditionSpec],
    info: MediaInfo,
    source_path: Path,
    work_dir: Path,
    *,
    timeout: float,
    heartbeat=None,
) -> dict[int, Output]:
    """Make and verify the audio outputs ``{row id: spec}``; return ``{row id: Output}``.

    Raises TranscodeError for an input that cannot be made into what was asked (no sound,
    damaged, wrong length) and TransientMediaError when the work disk fails."""
    if not info.audio_streams:
        raise TranscodeError(_("The file has no sound track."))
    targets = {
        pk: OutputTarget(spec, work_dir / f"out-{pk}.{spec.plan.extension or 'bin'}")
        for pk, spec in specs.items()
    }
    gains, limited = {}, set()
    targets_lufs = {pk: loudness_target(info, spec) for pk, spec in specs.items()}
    data = [pk for pk, spec in specs.items() if spec.plan.kind == "data"]
    waveform_pcm = None
    if any(spec.plan.loudnorm for spec in specs.values()):
        # The waveform comes from the source measurement's decode (no work left for the
        # encoders' cores, and its peaks are computed while they encode); a video's sound
        # keeps the encoder's path, which puts it on the picture's timeline.
        if data and info.kind != "video":
            waveform_pcm = work_dir / "waveform-source.pcm"
        measured = measure_source_loudness(
            source_path,
            duration=info.duration,
            timeout=timeout,
            demuxer=info.demuxer,
            channels=output_channels(info),
            audio_index=info.audio_index,
            waveform_path=waveform_pcm,
        )
        gains = {
            pk: gain_to_target(measured, targets_lufs[pk])
            for pk, spec in specs.items()
            if spec.plan.loudnorm
        }
        # The limiter costs a fifth of an encode and changes nothing where the source's
        # (sample) peak plus the gain stays under its ceiling, as for most quiet recordings.
        limited = {
            pk for pk, gain in gains.items() if measured.true_peak_dbtp + gain > LIMITER_CEILING_DB
        }
    with ThreadPoolExecutor(max_workers=1) as pool:
        peaks = {}
        if waveform_pcm is not None:
            gain = next(iter(gains.values()))  # what the first normalised output gets
            ceiling = 10 ** (LIMITER_CEILING_DB / 20)
            peaks = {
                pk: pool.submit(
                    compute_peaks,
                    waveform_pcm,
                    specs[pk].plan.peaks,
                    gain_db=gain,
                    ceiling=ceiling,
                )
                for pk in data
            }
            specs_to_make = {pk: spec for pk, spec in specs.items() if pk not in peaks}
        else:
            specs_to_make = specs
        measured_outputs = _encode_and_measure(
            specs_to_make, targets, info, source_path, work_dir, gains, limited, timeout,
            heartbeat, riders=list(peaks),
        )  # fmt: skip
        peaks = {pk: future.result() for pk, future in peaks.items()}
    return _verify_outputs(specs, targets, info, measured_outputs, targets_lufs, peaks)


def _encode_and_measure(
    specs, targets, info, source_path, work_dir, gains, limited, timeout, heartbeat, riders=()
) -> dict:
    """Make ``specs`` (the limiter on for the rows in ``limited``) and return their loudness
    measured on the encoded audio, making again with the limiter any output it left over
    the true-peak limit. ``riders`` (rows made elsewhere, the waveform) show the progress of
    the first process."""
    run = partial(
        _transcode_and_measure,
        targets=targets,
        info=info,
        source_path=source_path,
        work_dir=work_dir,
        gains=gains,
        timeout=timeout,
        heartbeat=heartbeat,
        riders=list(riders),
    )
    measured_outputs = run(specs, limited=limited)
    # Peaks between the samples (or the codec's overshoot) can take an unlimited output over
    # the true-peak limit: such an output is made again with the limiter, and verified again.
    over = {
        pk
        for pk, loudness in measured_outputs.items()
        if pk not in limited and loudness.true_peak_dbtp > settings.MEDIA_TRUE_PEAK_LIMIT
    }
    if over:
        again = {pk: spec for pk, spec in specs.items() if pk in over or spec.plan.kind == "data"}
        measured_outputs |= run(again, limited=limited | over)
    return measured_outputs


def _process_groups(specs: dict[int, RenditionSpec], gains: dict) -> list[list[int]]:
    """Which rows each ffmpeg process makes: one process per encoded output (ffmpeg 6 runs the
    encoders of one process one after another on one core). Data outputs (waveform) ride
    along with the first loudness-normalised output, so they show what listeners hear."""
    encoded = sorted(
        (pk for pk, spec in specs.items() if spec.plan.kind != "data"),
        key=lambda pk: pk not in gains,
    )
    data = [pk for pk, spec in specs.items() if spec.plan.kind == "data"]
    groups = [[pk] for pk in encoded]
    if groups:
        groups[0] += data
    elif data:
        groups = [data]
    return groups


def _transcode_and_measure(
    specs, *, targets, info: MediaInfo, source_path: Path, work_dir: Path, gains, limited,
    timeout, heartbeat, riders: list[int],
) -> dict:  # fmt: skip
    """Run the batch's processes side by side and return ``{row id: Loudness}`` measured on the
    encoded audio; raise TranscodeError if any process fails (then all are stopped).

    Each encoded output has its own process that decodes, resamples, gains (and, for the rows
    in ``limited``, limits) the source and encodes it (``build_transcode_command``). Decoding
    and resampling twice costs less than handing the samples from one decoder to two encoder
    processes through FIFOs, and the encoders never wait for each other. Each
    loudness-normalised output is teed to a FIFO that a measuring process decodes while it is
    encoded (``build_output_measure_command``), so no verification pass follows the encode."""
    ffmpeg = ffmpeg_path()
    groups = _process_groups(specs, gains)
    measure_pipes = {}
    for pk, spec in specs.items():
        if spec.plan.kind != "data" and spec.plan.loudnorm:
            measure_pipes[pk] = work_dir / f"measure-{pk}.fifo"
            measure_pipes[pk].unlink(missing_ok=True)  # left by a first run without limiter
            os.mkfifo(measure_pipes[pk], 0o600)
    argvs = [
        build_transcode_command(
            ffmpeg,
            source_path,
            info,
            [targets[pk] for pk in group],
            gain_db=gains.get(group[0]),
            limiter=group[0] in limited,
            measure_pipes={
                targets[pk].path: measure_pipes[pk] for pk in group if pk in measure_pipes
            },
        )
        for group in groups
    ]
    measured_pks = list(measure_pipes)
    argvs += [
        build_output_measure_command(
            ffmpeg,
            measure_pipes[pk],
            specs[pk].plan.container,
            sample_rate=specs[pk].plan.sample_rate,
            duration=info.duration,
        )
        for pk in measured_pks
    ]
    progress = ProgressRecorder([groups[0] + riders, *groups[1:]] if groups else [], info.duration)
    if heartbeat is not None:
        heartbeat.track(progress)
    try:
        results = run_bounded_many(
            argvs,
            timeout=timeout,
            on_stdout_line=progress.feed,
            fail_fast=True,
            should_stop=heartbeat.should_stop if heartbeat is not None else None,
        )
    except ProcessTimeout as exc:
        raise TranscodeError(
            _("Converting the file took too long and was stopped."), detail=str(exc)
        ) from None
    # The process that failed first exited with its own status; the others were killed (< 0).
    failed = sorted(
        (index for index, result in enumerate(results) if result.returncode != 0),
        key=lambda index: results[index].returncode < 0,
    )
    if failed:
        check_process_output(results[failed[0]].stderr)
        raise TranscodeError(
            _("The file could not be converted. It may be damaged or incomplete."),
            detail=results[failed[0]].stderr[-2000:],
        )
    measured = {}
    for pk, result in zip(measured_pks, results[len(groups) :], strict=True):
        try:
            measured[pk] = parse_ebur128_summary(result.stderr)
        except ValueError as exc:
            raise TranscodeError(
                _("The file could not be converted. It may be damaged or incomplete."),
                detail=f"loudness of the output: {exc}",
            ) from None
    return measured


def expected_duration(info: MediaInfo) -> float:
    """How long an audio output must be: the sound's own length where the probe knows it
    (a video's sound may end before its picture), else the file's."""
    return getattr(info, "audio_output_duration", None) or info.duration


def _verify_outputs(
    specs, targets, info: MediaInfo, measured: dict, targets_lufs: dict, peaks: dict
) -> dict:
    """Probe every output and attach the loudness measured on it while it was encoded; raise
    TranscodeError if one is not what was asked. A normalised output that stays more than
    ``LOUDNESS_TOLERANCE_LU`` from its target (a near-silent recording at the gain cap) is
    kept, with a warning for the editor."""
    from .probe import probe_media

    length = expected_duration(info)

    def verify(pk):
        target = targets[pk]
        plan = target.spec.plan
        if plan.kind == "data":
            data = peaks[pk] if pk in peaks else compute_peaks(target.path, plan.peaks)
            json_path = target.path.with_suffix(".json")
            json_path.write_text(json.dumps(data, separators=(",", ":")))
            return Output(json_path, duration=info.duration)
        if not target.path.exists() or target.path.stat().st_size == 0:
            raise TranscodeError(_("The converted file is empty."))
        output = probe_media(target.path)
        if abs(output.duration - length) > DURATION_TOLERANCE:
            raise TranscodeError(
                _("The converted file has the wrong length."),
                detail=f"expected {length:.3f} s, output {output.duration:.3f} s",
            )
        if pk not in measured:
            return Output(target.path, duration=output.duration)
        loudness = measured[pk]
        return Output(
            target.path,
            duration=output.duration,
            loudness_lufs=loudness.integrated_lufs,
            true_peak_dbtp=loudness.true_peak_dbtp,
            warning=loudness_warning(loudness, targets_lufs[pk]),
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(verify, specs))
    return dict(zip(specs, results, strict=True))


def loudness_warning(loudness, target_lufs: float) -> str:
    """An editor's note when the output is not within tolerance of the target."""
    if loudness.is_silent:
        return str(_("The recording is silent."))
    difference = loudness.integrated_lufs - target_lufs
    if abs(difference) <= LOUDNESS_TOLERANCE_LU:
        return ""
    if difference < 0:
        return str(
            _(
                "The recording is very quiet: even at the highest gain this file stays "
                "%(lu).1f LU below the loudness target (%(target).0f LUFS). Please check the "
                "microphone level and upload a louder recording if you can."
            )
            % {"lu": -difference, "target": target_lufs}
        )
    return str(
        _("This file is %(lu).1f LU louder than the loudness target (%(target).0f LUFS).")
        % {"lu": difference, "target": target_lufs}
    )
