"""The audio batch: podcast MP3 and AAC (loudness-normalised) and the waveform, from one
measurement of the source and one decode feeding one process per encoder (see
``ffmpeg_commands``).

``transcode_audio`` is called by ``services.run_batch`` with the batch's claimed rows and
returns verified ``Output``s in the work folder; it never touches the database or storage.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.utils.translation import gettext as _

from .binaries import ffmpeg_path
from .exceptions import TranscodeError
from .faults import check_process_output
from .ffmpeg_commands import (
    OutputTarget,
    build_encode_command,
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
    gains = {}
    targets_lufs = {pk: loudness_target(info, spec) for pk, spec in specs.items()}
    if any(spec.plan.loudnorm for spec in specs.values()):
        measured = measure_source_loudness(
            source_path,
            duration=info.duration,
            timeout=timeout,
            demuxer=info.demuxer,
            channels=output_channels(info),
            audio_index=info.audio_index,
        )
        gains = {
            pk: gain_to_target(measured, targets_lufs[pk])
            for pk, spec in specs.items()
            if spec.plan.loudnorm
        }
    measured_outputs = _transcode_and_measure(
        specs, targets, info, source_path, work_dir, gains, timeout, heartbeat
    )
    return _verify_outputs(specs, targets, info, measured_outputs, targets_lufs)


def _decode_groups(specs: dict[int, RenditionSpec], gains: dict) -> list[list[int]]:
    """Which rows each decoding process makes: one process per distinct gain (normally one
    for the whole batch). Data outputs (waveform) ride along with the loudness-normalised
    decode, so they show what listeners hear."""
    groups: dict = {}
    for pk in specs:
        groups.setdefault(gains.get(pk), []).append(pk)
    ordered = sorted(groups.items(), key=lambda item: item[0] is None)
    data = [pk for pk, spec in specs.items() if spec.plan.kind == "data"]
    result = [[pk for pk in group if pk not in data] for _gain, group in ordered]
    result[0] += data
    return [group for group in result if group]


def _transcode_and_measure(
    specs, targets, info: MediaInfo, source_path: Path, work_dir: Path, gains, timeout, heartbeat
) -> dict:
    """Run the batch's processes side by side and return ``{row id: Loudness}`` measured on the
    encoded audio; raise TranscodeError if any process fails (then all are stopped).

    The source is decoded, resampled, gained and limited once per distinct gain
    (``build_transcode_command``); each audio output is encoded in its own process from that
    PCM, read from a FIFO (``build_encode_command``): ffmpeg 6 runs the encoders of one
    process one after another on one core. Each loudness-normalised output is teed to a
    second FIFO that a measuring process decodes while it is encoded
    (``build_output_measure_command``), so no verification pass follows the encode."""
    ffmpeg = ffmpeg_path()
    decode_groups = _decode_groups(specs, gains)
    encoders = [pk for group in decode_groups for pk in group if specs[pk].plan.kind != "data"]
    pcm_pipes, measure_pipes = {}, {}
    for pk in encoders:
        pcm_pipes[pk] = work_dir / f"pcm-{pk}.fifo"
        os.mkfifo(pcm_pipes[pk], 0o600)
        if specs[pk].plan.loudnorm:
            measure_pipes[pk] = work_dir / f"measure-{pk}.fifo"
            os.mkfifo(measure_pipes[pk], 0o600)
    argvs = [
        build_transcode_command(
            ffmpeg,
            source_path,
            info,
            [targets[pk] for pk in group],
            gain_db=gains.get(group[0]),
            pcm_pipes={targets[pk].path: pcm_pipes[pk] for pk in group if pk in pcm_pipes},
        )
        for group in decode_groups
    ]
    argvs += [
        build_encode_command(
            ffmpeg, pcm_pipes[pk], info, targets[pk], measure_pipe=measure_pipes.get(pk)
        )
        for pk in encoders
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
    # Progress per process: a decoder reports for its data outputs, an encoder for its file.
    groups = [[pk for pk in group if pk not in pcm_pipes] for group in decode_groups]
    groups += [[pk] for pk in encoders]
    progress = ProgressRecorder(groups, info.duration)
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


def _verify_outputs(specs, targets, info: MediaInfo, measured: dict, targets_lufs: dict) -> dict:
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
            peaks = compute_peaks(target.path, plan.peaks)
            json_path = target.path.with_suffix(".json")
            json_path.write_text(json.dumps(peaks, separators=(",", ":")))
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
