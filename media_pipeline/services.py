"""State changes of media files and renditions. Tasks and views call these; nothing else does.

Lifecycle of a rendition: PENDING → PROCESSING → READY | FAILED. Work is idempotent: one row
per (media file, spec) in the database, a status guard when a worker claims rows, only the
missing outputs are computed, files are written to a private work folder and saved to storage
only after they have been verified.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .binaries import ffmpeg_path
from .exceptions import MediaRejectedError, TranscodeError
from .ffmpeg_commands import (
    OutputTarget,
    build_hls_command,
    build_output_measure_command,
    build_transcode_command,
    build_video_command,
    ladder_heights,
    loudness_target,
    output_channels,
    output_frame_rate,
    sprite_layout,
    video_output_size,
)
from .loudness import gain_to_target, measure_source_loudness, parse_ebur128_summary
from .models import MediaFile, MediaKind, MediaRendition, RenditionStatus
from .probe import MediaInfo, probe_media
from .runner import ProcessTimeout, run_bounded_many
from .signals import rendition_ready
from .specs import RenditionSpec, default_specs
from .video import (
    Variant,
    build_thumbnails_vtt,
    delete_rendition_files,
    hls_files,
    stored_names,
    top_level_boxes,
    write_hls_master,
)
from .waveform import compute_peaks

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
# Specs whose outputs one ffmpeg process writes from a single decode of the source.
AUDIO_BATCH_FORMATS = {"mp3", "aac", "waveform"}
# Specs of the video profile, claimed and made together: the rungs, poster and sprite from one
# decode, the HLS packaging remuxed from the rungs (no second encode).
VIDEO_BATCH_FORMATS = {"mp4", "hls", "poster", "sprite"}
# Output duration may differ from the source's by up to a frame plus the AAC priming.
VIDEO_DURATION_TOLERANCE = 0.25


def _batch(spec: str) -> set[str]:
    format_name = RenditionSpec(spec).format_name
    return AUDIO_BATCH_FORMATS if format_name in AUDIO_BATCH_FORMATS else VIDEO_BATCH_FORMATS


class TransientMediaError(RuntimeError):
    """Storage, database or broker hiccup: the task retries with backoff."""


# --- requesting work ---------------------------------------------------------------------
def request_rendition(media_file: MediaFile, spec: str) -> MediaRendition:
    """Return the rendition row for ``spec``, creating it (and enqueueing its task on commit)
    when missing. A FAILED or stale row is reset and requeued. Raises
    InvalidRenditionSpecError for a bad spec before anything is stored."""
    RenditionSpec(spec)
    # The unique constraint on (media_file, spec) makes concurrent requests converge on one row.
    rendition, created = MediaRendition.objects.get_or_create(
        media_file=media_file, spec=spec, defaults={"source_hash": media_file.file_hash}
    )
    stale = rendition.source_hash != media_file.file_hash
    if created or stale or rendition.status == RenditionStatus.FAILED:
        if not created:
            _reset(rendition, source_hash=media_file.file_hash)
        _enqueue_on_commit(rendition)
    return rendition


def ensure_renditions(media_file: MediaFile) -> list[MediaRendition]:
    """Make sure every default rendition of the file's kind exists or is on its way; requests
    only what is missing or stale. Audio specs are skipped for media without sound, MP4 rungs
    above the video's size are never created (``ffmpeg_commands.ladder_heights``)."""
    specs = default_specs(media_file.kind or MediaKind.AUDIO)
    has_audio = _has_audio(media_file)
    rung_heights = {
        RenditionSpec(spec).plan.height: spec
        for spec in specs
        if RenditionSpec(spec).format_name == "mp4"
    }
    size = (media_file.width, media_file.height) if media_file.width else None
    rungs = {rung_heights[height] for height in ladder_heights(size, rung_heights)}
    existing = {r.spec: r for r in media_file.renditions.all()}
    requested = []
    for spec in specs:
        format_name = RenditionSpec(spec).format_name
        if not has_audio and format_name in AUDIO_BATCH_FORMATS:
            continue
        if format_name == "mp4" and spec not in rungs:
            if spec in existing:
                # The source was replaced by a smaller one: this rung would be an upscale.
                existing[spec].delete()
            continue
        rendition = existing.get(spec)
        if (
            rendition is None
            or rendition.source_hash != media_file.file_hash
            or rendition.status == RenditionStatus.FAILED
        ):
            requested.append(request_rendition(media_file, spec))
    return requested


def retry_rendition(rendition: MediaRendition, *, force: bool = False) -> bool:
    """Requeue a FAILED rendition (any finished one with ``force``); False if it was not
    in a state that allows it (e.g. a worker is on it right now)."""
    allowed = [RenditionStatus.FAILED]
    if force:
        allowed.append(RenditionStatus.READY)
    updated = MediaRendition.objects.filter(pk=rendition.pk, status__in=allowed).update(
        status=RenditionStatus.PENDING,
        progress=0,
        eta_seconds=None,
        error="",
        error_detail="",
        worker="",
        source_hash=rendition.media_file.file_hash,
    )
    if updated:
        rendition.refresh_from_db()
        _enqueue_on_commit(rendition)
    return bool(updated)


def _has_audio(media_file: MediaFile) -> bool:
    streams = (media_file.probe_data or {}).get("streams")
    if streams is None:
        return True
    return any(s.get("codec_type") == "audio" for s in streams)


def _reset(rendition: MediaRendition, *, source_hash: str) -> None:
    rendition.status = RenditionStatus.PENDING
    rendition.progress = 0
    rendition.eta_seconds = None
    rendition.error = rendition.error_detail = rendition.worker = ""
    rendition.source_hash = source_hash
    rendition.save()


def time_limits(duration: float | None, kind: str = MediaKind.AUDIO) -> tuple[int, int]:
    """(soft, hard) task time limits in seconds, scaled by the media duration (video batches
    encode a whole ladder: ``MEDIA_VIDEO_TIME_LIMIT_PER_SECOND``)."""
    per_second = settings.MEDIA_TIME_LIMIT_PER_SECOND
    if kind == MediaKind.VIDEO:
        per_second = getattr(settings, "MEDIA_VIDEO_TIME_LIMIT_PER_SECOND", 6.0)
    soft = int(max(settings.MEDIA_TIME_LIMIT_MINIMUM, (duration or 0) * per_second))
    soft = min(soft, settings.CELERY_TASK_MAX_TIME_LIMIT - 60)
    return soft, soft + 60


def _enqueue_on_commit(rendition: MediaRendition) -> None:
    from .tasks import transcode_rendition_task

    soft, hard = time_limits(rendition.media_file.duration, rendition.media_file.kind)
    rendition_id = rendition.pk
    transaction.on_commit(
        lambda: transcode_rendition_task.apply_async(
            (rendition_id,), soft_time_limit=soft, time_limit=hard
        )
    )


# --- doing the work ----------------------------------------------------------------------
def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _claim(rendition_id: int) -> list[MediaRendition]:
    """Claim the rendition and its batchable PENDING siblings; return them PROCESSING.

    Row locks make the claim atomic: a second worker with the same task finds the rows
    PROCESSING or READY and does nothing. The locks are released before transcoding starts,
    so a long transcode never holds a database transaction open.
    """
    now = timezone.now()
    with transaction.atomic():
        try:
            rendition = (
                MediaRendition.objects.select_for_update()
                .select_related("media_file")
                .get(pk=rendition_id)
            )
        except MediaRendition.DoesNotExist:
            return []
        if rendition.status != RenditionStatus.PENDING:
            return []
        claimed = [rendition]
        batch = _batch(rendition.spec)
        siblings = (
            MediaRendition.objects.select_for_update()
            .filter(media_file_id=rendition.media_file_id, status=RenditionStatus.PENDING)
            .exclude(pk=rendition.pk)
        )
        claimed += [
            sibling for sibling in siblings if RenditionSpec(sibling.spec).format_name in batch
        ]
        for row in claimed:
            row.status = RenditionStatus.PROCESSING
            row.progress = 0
            row.eta_seconds = None
            row.error = row.error_detail = ""
            row.attempts += 1
            row.worker = worker_identity()
            row.started_at = row.heartbeat_at = now
            row.finished_at = None
            row.save()
    for row in claimed:
        row.media_file = rendition.media_file
    return claimed


def transcode_rendition(rendition_id: int) -> list[int]:
    """Produce the rendition (and its batch siblings); return the ids made READY.

    Raises TranscodeError for a broken input (the caller records it with
    mark_rendition_failed; retrying does not help) and TransientMediaError for storage or
    database trouble (rows go back to PENDING so a retry can claim them).
    """
    claimed = _claim(rendition_id)
    if not claimed:
        return []
    media_file = claimed[0].media_file
    work_dir = _make_work_dir(claimed[0].pk)
    try:
        source_path = work_dir / "source"
        _download_source(media_file, source_path)
        info = probe_media(source_path)
        specs = {row.pk: RenditionSpec(row.spec) for row in claimed}
        soft_limit, _hard = time_limits(info.duration, info.kind)
        if _batch(claimed[0].spec) is VIDEO_BATCH_FORMATS:
            outcomes = _transcode_video(claimed, specs, info, source_path, work_dir, soft_limit)
            return _store_outputs(claimed, specs, outcomes, media_file)
        if not info.audio_streams:
            raise TranscodeError(_("The file has no sound track."))
        targets = {
            row.pk: OutputTarget(
                specs[row.pk], work_dir / f"out-{row.pk}.{specs[row.pk].plan.extension or 'bin'}"
            )
            for row in claimed
        }
        gain = None
        if any(spec.plan.loudnorm for spec in specs.values()):
            measured = measure_source_loudness(
                source_path,
                duration=info.duration,
                timeout=soft_limit,
                demuxer=info.demuxer,
                channels=output_channels(info),
            )
            gain = gain_to_target(measured, loudness_target(info))
        measured_outputs = _transcode_and_measure(
            claimed, specs, targets, info, source_path, work_dir, gain, soft_limit
        )
        outcomes = _verify_outputs(claimed, targets, info, measured_outputs)
        return _store_outputs(claimed, specs, outcomes, media_file)
    except MediaRejectedError as exc:
        raise TranscodeError(exc.message) from None
    except TransientMediaError:
        _release(claimed)
        raise
    except DatabaseError as exc:
        _release(claimed)
        raise TransientMediaError(str(exc)) from exc
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


def _storage_errors() -> tuple[type[BaseException], ...]:
    from botocore.exceptions import BotoCoreError, ClientError

    return (OSError, BotoCoreError, ClientError)


def _release(claimed: list[MediaRendition]) -> None:
    MediaRendition.objects.filter(
        pk__in=[row.pk for row in claimed], status=RenditionStatus.PROCESSING
    ).update(status=RenditionStatus.PENDING, worker="", progress=0, eta_seconds=None)


def _make_work_dir(rendition_id: int) -> Path:
    root = Path(settings.MEDIA_WORK_DIR)
    root.mkdir(parents=True, exist_ok=True)
    host, pid = worker_identity().rsplit(":", 1)
    path = root / f"{host}-{pid}-{rendition_id}-{uuid.uuid4().hex[:8]}"
    path.mkdir()
    return path


def _download_source(media_file: MediaFile, target: Path) -> None:
    # Through the storage API, never .path: workers may run where media lives on S3.
    try:
        with (
            media_file.file.storage.open(media_file.file.name, "rb") as source,
            target.open("wb") as handle,
        ):
            shutil.copyfileobj(source, handle, CHUNK)
    except _storage_errors() as exc:
        raise TransientMediaError(f"reading the source failed: {exc}") from exc


class ProgressRecorder:
    """Turns ``ffmpeg -progress`` lines into percent and ETA per process group, written at most
    once a second; each write is also the rows' heartbeat for the watchdog.

    Progress stops at 99 %: 100 % means verified and stored.
    """

    def __init__(self, groups: list[list[int]], duration: float):
        self.groups = groups
        self.duration = max(duration, 0.001)
        self.fractions = [0.0] * len(groups)
        self.started = time.monotonic()
        self.last_write = 0.0

    def feed(self, index: int, line: str) -> None:
        key, _sep, value = line.partition("=")
        if key != "out_time_us" or not value.strip().isdigit():
            return
        self.fractions[index] = min(max(int(value) / 1_000_000 / self.duration, 0.0), 1.0)
        now = time.monotonic()
        if now - self.last_write < 1.0:
            return
        self.last_write = now
        elapsed = now - self.started
        for group, fraction in zip(self.groups, self.fractions, strict=True):
            eta = int(elapsed / fraction - elapsed) if fraction > 0.01 else None
            MediaRendition.objects.filter(pk__in=group, status=RenditionStatus.PROCESSING).update(
                progress=min(int(fraction * 100), 99),
                eta_seconds=eta,
                heartbeat_at=timezone.now(),
            )


def _process_groups(claimed, specs) -> list[list[MediaRendition]]:
    """One ffmpeg process per audio encoder, run side by side: ffmpeg 6 encodes the outputs
    of one process one after another on a single core, so two processes on two cores finish
    sooner than one decode feeding both encoders (the benchmark runs both variants). Data
    outputs (waveform) ride along with the first encoder's decode.

    Next to them run the processes that measure each loudness-normalised output from a FIFO
    while it is encoded (``_transcode_and_measure``), so both cores stay busy until the end
    and no verification pass follows the encode."""
    encoders = [row for row in claimed if specs[row.pk].plan.kind != "data"]
    data = [row for row in claimed if specs[row.pk].plan.kind == "data"]
    if not encoders:
        return [data]
    groups = [[row] for row in encoders]
    groups[0] += data
    return groups


def _transcode_and_measure(
    claimed, specs, targets, info: MediaInfo, source_path: Path, work_dir: Path, gain, timeout
) -> dict:
    """Run the encoder processes and, beside them, one measuring process per loudness-normalised
    output, joined by a FIFO in the work folder. Returns ``{row pk: Loudness}`` measured on the
    encoded audio; raises TranscodeError if any process fails (then all are stopped)."""
    pipes = {}
    for row in claimed:
        plan = specs[row.pk].plan
        if plan.loudnorm and plan.kind == "audio":
            pipes[row.pk] = work_dir / f"measure-{row.pk}.fifo"
            os.mkfifo(pipes[row.pk], 0o600)
    groups = _process_groups(claimed, specs)
    ffmpeg = ffmpeg_path()
    argvs = [
        build_transcode_command(
            ffmpeg,
            source_path,
            info,
            [targets[row.pk] for row in group],
            gain_db=gain,
            measure_pipes={
                targets[row.pk].path: pipes[row.pk] for row in group if row.pk in pipes
            },
        )
        for group in groups
    ]
    measured_pks = list(pipes)
    argvs += [
        build_output_measure_command(
            ffmpeg,
            pipes[pk],
            specs[pk].plan.container,
            sample_rate=specs[pk].plan.sample_rate,
            duration=info.duration,
        )
        for pk in measured_pks
    ]
    progress = ProgressRecorder([[row.pk for row in group] for group in groups], info.duration)

    def feed(index, line):
        if index < len(groups):
            progress.feed(index, line)

    try:
        results = run_bounded_many(argvs, timeout=timeout, on_stdout_line=feed, fail_fast=True)
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


def _video_process_groups(encoded: list[MediaRendition]) -> list[list[MediaRendition]]:
    """All rungs, the poster and the sprite from one decode in one process (split filter):
    measured against one process per output in benchmarks/transcode_video.py."""
    return [encoded] if encoded else []


def _transcode_video(claimed, specs, info: MediaInfo, source_path: Path, work_dir: Path, timeout):
    """Make the claimed video-profile outputs; return verified outcomes by row pk.

    Rungs, poster and sprite come from one ffmpeg run; the HLS rendition is then remuxed from
    the rungs (made now, or READY ones downloaded from storage) with ``-c copy``. Raises
    TranscodeError when the source has no picture or an output is not what was asked."""
    if info.kind != "video":
        raise TranscodeError(_("The file has no picture to convert."))
    media_file = claimed[0].media_file
    encoded = [row for row in claimed if specs[row.pk].format_name != "hls"]
    packaged = [row for row in claimed if specs[row.pk].format_name == "hls"]
    paths = {row.pk: work_dir / f"out-{row.pk}.{specs[row.pk].plan.extension}" for row in encoded}
    groups = _video_process_groups(encoded)
    ffmpeg = ffmpeg_path()
    preset = getattr(settings, "MEDIA_VIDEO_PRESET", "veryfast")
    argvs = [
        build_video_command(
            ffmpeg,
            source_path,
            info,
            [OutputTarget(specs[row.pk], paths[row.pk]) for row in group],
            preset=preset,
        )
        for group in groups
    ]
    progress_groups = [[row.pk for row in group] for group in groups]
    if progress_groups:
        progress_groups[0] += [row.pk for row in packaged]
    progress = ProgressRecorder(progress_groups, info.duration)
    if argvs:
        _run_video(argvs, timeout, progress.feed)
    outcomes = {
        row.pk: _verify_video_output(specs[row.pk], paths[row.pk], info) for row in encoded
    }
    for row in encoded:
        if specs[row.pk].format_name == "sprite":
            layout = sprite_layout(info, specs[row.pk])
            sprite_name = specs[row.pk].output_name(media_file.source_stem)
            track = paths[row.pk].with_suffix(".vtt")
            track.write_text(build_thumbnails_vtt(sprite_name, layout, info.duration))
            outcomes[row.pk]["siblings"] = [(Path(sprite_name).with_suffix(".vtt").name, track)]
            outcomes[row.pk]["width"] = layout.tile_width
            outcomes[row.pk]["height"] = layout.tile_height
    for row in packaged:
        rungs = {
            specs[r.pk].plan.height: (paths[r.pk], outcomes[r.pk])
            for r in encoded
            if specs[r.pk].format_name == "mp4"
        }
        rungs = {**_ready_rungs(media_file, work_dir, exclude=rungs), **rungs}
        outcomes[row.pk] = _package_hls(specs[row.pk], rungs, info, work_dir / f"hls-{row.pk}")
    return outcomes


def _run_video(argvs, timeout, feed) -> None:
    try:
        results = run_bounded_many(argvs, timeout=timeout, on_stdout_line=feed, fail_fast=True)
    except ProcessTimeout as exc:
        raise TranscodeError(
            _("Converting the file took too long and was stopped."), detail=str(exc)
        ) from None
    for result in results:
        if result.returncode != 0:
            raise TranscodeError(
                _("The file could not be converted. It may be damaged or incomplete."),
                detail=result.stderr[-2000:],
            )


def _verify_video_output(spec: RenditionSpec, path: Path, info: MediaInfo) -> dict:
    """Probe an MP4 rung, poster or sprite: size as planned, an MP4's length as the source's
    and its index (moov) before the media data (faststart)."""
    if not path.exists() or path.stat().st_size == 0:
        raise TranscodeError(_("The converted file is empty."))
    width, height = video_output_size(info, spec)
    if spec.format_name != "mp4":
        output = _probe_picture(path)
        if output != (width, height):
            raise TranscodeError(
                _("The converted file has the wrong picture size."),
                detail=f"expected {width}x{height}, got {output}",
            )
        return {"path": path, "duration": None, "width": width, "height": height}
    output = probe_media(path)
    if abs(output.duration - info.duration) > VIDEO_DURATION_TOLERANCE:
        raise TranscodeError(
            _("The converted file has the wrong length."),
            detail=f"source {info.duration:.3f} s, output {output.duration:.3f} s",
        )
    if output.display_size != (width, height):
        raise TranscodeError(
            _("The converted file has the wrong picture size."),
            detail=f"expected {width}x{height}, got {output.display_size}",
        )
    boxes = top_level_boxes(path)
    if "moov" not in boxes or "mdat" not in boxes or boxes.index("moov") > boxes.index("mdat"):
        raise TranscodeError(
            _("The converted file could not be prepared for streaming."),
            detail=f"box order {boxes}",
        )
    return {"path": path, "duration": output.duration, "width": width, "height": height}


def _probe_picture(path: Path) -> tuple[int, int] | None:
    """Width and height of a JPEG from its frame header (SOF marker); None if unreadable."""
    data = path.read_bytes()
    offset = 2
    while offset + 9 < len(data):
        if data[offset] != 0xFF:
            return None
        marker = data[offset + 1]
        length = int.from_bytes(data[offset + 2 : offset + 4], "big")
        if 0xC0 <= marker <= 0xC3:
            height = int.from_bytes(data[offset + 5 : offset + 7], "big")
            width = int.from_bytes(data[offset + 7 : offset + 9], "big")
            return width, height
        offset += 2 + length
    return None


def _ready_rungs(media_file: MediaFile, work_dir: Path, *, exclude) -> dict:
    """READY MP4 rungs not made in this batch, downloaded for packaging (e.g. when only the
    HLS rendition is retried)."""
    rungs = {}
    for rendition in media_file.renditions.filter(status=RenditionStatus.READY):
        spec = RenditionSpec(rendition.spec)
        if spec.format_name != "mp4" or spec.plan.height in exclude or not rendition.file:
            continue
        path = work_dir / f"ready-{rendition.pk}.mp4"
        try:
            with rendition.file.open("rb") as source, path.open("wb") as handle:
                shutil.copyfileobj(source, handle, CHUNK)
        except _storage_errors() as exc:
            raise TransientMediaError(f"reading rendition {rendition.pk} failed: {exc}") from exc
        rungs[spec.plan.height] = (path, {"width": rendition.width, "height": rendition.height})
    return rungs


def _package_hls(spec: RenditionSpec, rungs: dict, info: MediaInfo, output_dir: Path) -> dict:
    """Remux the rungs (highest first) into fMP4 HLS and write the master playlist."""
    if not rungs:
        raise TranscodeError(_("There is no converted video to prepare for streaming."))
    ordered = [rungs[height] for height in sorted(rungs, reverse=True)]
    output_dir.mkdir()
    argv = build_hls_command(
        ffmpeg_path(),
        [path for path, _outcome in ordered],
        output_dir,
        has_audio=bool(info.audio_streams),
        segment_seconds=spec.plan.segment_seconds,
    )
    _run_video([argv], max(60, int(info.duration)), None)
    rate = output_frame_rate(info)
    variants = [
        Variant(
            output_dir / f"v{index}" / "index.m3u8",
            outcome["width"],
            outcome["height"],
            rate,
            bool(info.audio_streams),
        )
        for index, (_path, outcome) in enumerate(ordered)
    ]
    try:
        master = write_hls_master(output_dir, variants)
        files = hls_files(master)
    except (OSError, ValueError) as exc:
        raise TranscodeError(
            _("The converted file could not be prepared for streaming."), detail=str(exc)
        ) from None
    width, height = ordered[0][1]["width"], ordered[0][1]["height"]
    return {
        "path": master,
        "duration": info.duration,
        "width": width,
        "height": height,
        "siblings": [(path.relative_to(output_dir).as_posix(), path) for path in files],
    }


def _verify_outputs(claimed, targets, info: MediaInfo, measured: dict) -> dict:
    """Probe every output and attach the loudness measured on it while it was encoded; raise
    TranscodeError if one is not what was asked."""

    def verify(row):
        target = targets[row.pk]
        plan = target.spec.plan
        if plan.kind == "data":
            peaks = compute_peaks(target.path, plan.peaks)
            json_path = target.path.with_suffix(".json")
            json_path.write_text(json.dumps(peaks, separators=(",", ":")))
            return {"path": json_path, "duration": info.duration}
        if not target.path.exists() or target.path.stat().st_size == 0:
            raise TranscodeError(_("The converted file is empty."))
        output = probe_media(target.path)
        if abs(output.duration - info.duration) > 0.1:
            raise TranscodeError(
                _("The converted file has the wrong length."),
                detail=f"source {info.duration:.3f} s, output {output.duration:.3f} s",
            )
        outcome = {"path": target.path, "duration": output.duration}
        if row.pk in measured:
            loudness = measured[row.pk]
            outcome.update(
                loudness_lufs=loudness.integrated_lufs, true_peak_dbtp=loudness.true_peak_dbtp
            )
        return outcome

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(verify, claimed))
    return {row.pk: result for row, result in zip(claimed, results, strict=True)}


def _store_outputs(claimed, specs, outcomes, media_file: MediaFile) -> list[int]:
    """Save verified outputs through the storage and mark them READY.

    A multi-file output (``outcome["siblings"]``: HLS playlists and segments, the sprite's
    WebVTT track) is stored under deterministic names, siblings first and its main file
    last, after whatever the rendition had stored before is removed."""
    ready = []
    for row in claimed:
        outcome = outcomes[row.pk]
        spec = specs[row.pk]
        try:
            if row.file:
                delete_rendition_files(row.file.storage, row.file.name, row.spec)
            if "siblings" in outcome:
                row.file.name = _store_with_siblings(row, spec, outcome, media_file)
            else:
                name = spec.output_name(media_file.source_stem)
                with outcome["path"].open("rb") as handle:
                    row.file.save(name, File(handle), save=False)
        except _storage_errors() as exc:
            raise TransientMediaError(f"saving the rendition failed: {exc}") from exc
        # A multi-file rendition's size is everything it stores (playlists and segments).
        siblings = outcome.get("siblings", [])
        size = outcome["path"].stat().st_size + sum(path.stat().st_size for _, path in siblings)
        # A conditional update: if the media file was deleted (or the row reset) meanwhile,
        # nothing is resurrected and the just-stored file is removed again.
        updated = MediaRendition.objects.filter(
            pk=row.pk, status=RenditionStatus.PROCESSING
        ).update(
            file=row.file.name,
            file_size=size,
            mime_type=spec.plan.mime_type,
            duration=outcome["duration"],
            bitrate=int(size * 8 / outcome["duration"])
            if outcome["duration"] and not siblings
            else None,
            width=outcome.get("width"),
            height=outcome.get("height"),
            loudness_lufs=outcome.get("loudness_lufs"),
            true_peak_dbtp=outcome.get("true_peak_dbtp"),
            status=RenditionStatus.READY,
            progress=100,
            eta_seconds=None,
            finished_at=timezone.now(),
            source_hash=media_file.file_hash,
        )
        if updated:
            ready.append(row.pk)
            rendition_ready.send(
                sender=MediaRendition, instance=MediaRendition.objects.get(pk=row.pk)
            )
        else:
            delete_rendition_files(row.file.storage, row.file.name, row.spec)
    return ready


def _store_with_siblings(row, spec: RenditionSpec, outcome: dict, media_file) -> str:
    storage = row.file.storage
    folder = str(Path(row.file.field.generate_filename(row, "x")).parent)
    main, prefix = stored_names(folder, media_file.source_stem, spec)
    # Leftovers of an attempt that died between saving and marking READY.
    delete_rendition_files(storage, main, row.spec)
    base = prefix or str(Path(main).parent)
    for relative, path in [*outcome["siblings"], (None, outcome["path"])]:
        name = main if relative is None else f"{base}/{relative}"
        with path.open("rb") as handle:
            stored = storage.save(name, File(handle))
        if stored != name:
            # Relative references (playlists, the WebVTT track) need the exact names.
            storage.delete(stored)
            raise TransientMediaError(f"storage renamed {name} to {stored}")
    return main


def mark_rendition_failed(rendition_id: int, message: str, detail: str = "") -> None:
    """Record a final failure with a message for editors (in the site's main language) and
    release any batch siblings the failed attempt had claimed."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)
    try:
        rendition = MediaRendition.objects.get(pk=rendition_id)
    except MediaRendition.DoesNotExist:
        return
    MediaRendition.objects.filter(
        media_file_id=rendition.media_file_id,
        status=RenditionStatus.PROCESSING,
        worker=rendition.worker,
    ).exclude(pk=rendition.pk).update(
        status=RenditionStatus.FAILED, error=text, error_detail=detail[-4000:], progress=0
    )
    MediaRendition.objects.filter(pk=rendition_id).exclude(status=RenditionStatus.READY).update(
        status=RenditionStatus.FAILED,
        error=text,
        error_detail=detail[-4000:],
        progress=0,
        eta_seconds=None,
        finished_at=timezone.now(),
    )


# --- watchdog ----------------------------------------------------------------------------
def requeue_stale_renditions() -> list[int]:
    """Put renditions whose worker stopped reporting back in the queue; remove work folders
    left by dead processes on this host. Run at worker start and periodically."""
    cutoff = timezone.now() - timedelta(seconds=settings.MEDIA_HEARTBEAT_TIMEOUT)
    stale = list(
        MediaRendition.objects.filter(
            status=RenditionStatus.PROCESSING, heartbeat_at__lt=cutoff
        ).select_related("media_file")
    )
    for rendition in stale:
        logger.warning("requeueing stale rendition %s (worker %s)", rendition.pk, rendition.worker)
        with transaction.atomic():
            _reset(rendition, source_hash=rendition.source_hash)
            _enqueue_on_commit(rendition)
    _remove_orphaned_work_dirs()
    return [rendition.pk for rendition in stale]


def _remove_orphaned_work_dirs() -> None:
    root = Path(settings.MEDIA_WORK_DIR)
    if not root.is_dir():
        return
    host = socket.gethostname()
    for folder in root.iterdir():
        parts = folder.name.split("-")
        if len(parts) < 4 or "-".join(parts[:-3]) != host or not parts[-3].isdigit():
            continue
        pid = int(parts[-3])
        if not _process_alive(pid):
            shutil.rmtree(folder, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def delete_media_files(names: list[tuple[object, str]]) -> None:
    for storage, name in names:
        if name:
            storage.delete(name)


def delete_rendition_storage(storage, name: str, spec: str) -> None:
    """Remove a rendition's file and its siblings (HLS segments, the sprite's WebVTT)."""
    delete_rendition_files(storage, name, spec)
