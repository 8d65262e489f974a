"""The video batch ("Kurz erklärt"): the H.264 ladder, poster and sprite from one decode, and
HLS remuxed from exactly those rungs.

``transcode_video`` is called by ``services.run_batch`` with the batch's claimed rows and
returns verified ``Output``s in the work folder; it never touches the database or storage.
The HLS rendition is only ever packaged from the rungs made in the same attempt, and only
when every rung of the attempt is there: a master playlist never lists fewer variants than
the ladder has.
"""

from __future__ import annotations

import logging
import math
import re
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from . import resume
from .binaries import ffmpeg_path
from .exceptions import TranscodeError
from .faults import check_process_output, is_transient
from .ffmpeg_commands import (
    KEYFRAME_SECONDS,
    OutputTarget,
    build_hls_command,
    build_rung_remux_command,
    build_rung_sound_command,
    build_video_command,
    output_frame_rate,
    sprite_layout,
    video_output_size,
)
from .hls import Variant, hls_files, top_level_boxes, write_hls_master
from .probe import MediaInfo, probe_media
from .progress import ProgressRecorder
from .results import Output
from .runner import ProcessTimeout, run_bounded_many
from .specs import RenditionSpec

logger = logging.getLogger(__name__)

# Output duration may differ from the source's by up to a frame plus the AAC priming.
VIDEO_DURATION_TOLERANCE = 0.25


def transcode_video(
    specs: dict[int, RenditionSpec],
    info: MediaInfo,
    source_path: Path,
    work_dir: Path,
    *,
    stem: str,
    timeout: float,
    heartbeat=None,
    resume_dir: Path | None = None,
    on_progress_kept=None,
) -> dict[int, Output]:
    """Make the video-profile outputs ``{row id: spec}``; return ``{row id: Output}``.

    Rungs, poster and sprite come from one ffmpeg run (its ``-progress`` drives the rows'
    progress), the rungs' sound from a process of its own beside it; the HLS rendition is
    then remuxed from this run's rungs with ``-c copy``. The rungs' picture is kept in
    ``resume_dir`` (the batch's folder, see ``resume``) when given: what an earlier attempt
    encoded there and that checks out is not encoded again; ``on_progress_kept()`` is called
    when that is more than any earlier attempt of the batch went on from.
    Raises TranscodeError when the source has no picture or an output is not what was
    asked, TransientMediaError when the work disk fails."""
    if info.kind != "video":
        raise TranscodeError(_("The file has no picture to convert."))
    encoded = [pk for pk, spec in specs.items() if not spec.packages_rungs]
    packaged = [pk for pk, spec in specs.items() if spec.packages_rungs]
    paths = {pk: work_dir / f"out-{pk}.{specs[pk].plan.extension}" for pk in encoded}
    should_stop = heartbeat.should_stop if heartbeat is not None else None
    outputs: dict[int, Output] = {}
    if encoded:
        rungs = [pk for pk in encoded if specs[pk].format_name == "mp4"]
        folder = resume_dir or work_dir
        rate = output_frame_rate(info)
        pictures = {pk: folder / f"rung-{pk}.mp4" for pk in rungs}
        start = _resume_point(folder, pictures, rate, info.duration)
        start_frame = resume.first_frame(start, rate)
        if start:
            logger.info("resuming rungs %s at %.1f s", rungs, float(start_frame / rate))
            if resume_dir is not None and resume.advance(resume_dir, start) and on_progress_kept:
                on_progress_kept()
        parts = {pk: folder / f"part-{pk}-{start}.mp4" for pk in rungs}
        argv = build_video_command(
            ffmpeg_path(),
            source_path,
            info,
            [OutputTarget(specs[pk], parts.get(pk, paths[pk])) for pk in encoded],
            preset=getattr(settings, "MEDIA_VIDEO_PRESET", "veryfast"),
            fragmented_rungs=True,
            start_keyframe=start,
            start_frame=start_frame,
        )
        vstats = work_dir / "vstats.log"
        argv[1:1] = ["-vstats_file", str(vstats), "-vstats_version", "2"]
        sounds = {}
        if rungs and info.audio_streams:
            rates = sorted({specs[pk].plan.bitrate_kbps for pk in rungs})
            sounds = {kbps: work_dir / f"sound-{kbps}.m4a" for kbps in rates}
        argvs = [argv]
        if sounds:
            argvs.append(
                build_rung_sound_command(ffmpeg_path(), source_path, info, list(sounds.items()))
            )
        # One process; the HLS rows ride along in its progress (packaging takes seconds).
        progress = ProgressRecorder(
            [encoded + packaged], info.duration, offset=float(start_frame / rate)
        )
        progress.follow_vstats(0, vstats)
        if heartbeat is not None:
            heartbeat.track(progress)
        run_video(argvs, timeout, progress.feed, should_stop)
        for pk in rungs:
            resume.append_part(pictures[pk], parts[pk], start, rate, finished=True)
            sound = sounds.get(specs[pk].plan.bitrate_kbps)
            remux = build_rung_remux_command(ffmpeg_path(), pictures[pk], sound, paths[pk])
            run_video([remux], max(60, int(info.duration)), None, should_stop)
            pictures[pk].unlink(missing_ok=True)  # room on the work disk for HLS
        for pk in encoded:
            outputs[pk] = verify_video_output(specs[pk], paths[pk], info)
            if specs[pk].format_name == "sprite":
                outputs[pk] = _with_thumbnails_track(specs[pk], outputs[pk], info, stem)
    for pk in packaged:
        rungs = {specs[rung].plan.height: outputs[rung] for rung in encoded if specs[rung].is_rung}
        outputs[pk] = package_hls(specs[pk], rungs, info, work_dir / f"hls-{pk}", should_stop)
    return outputs


_PART_NAME = re.compile(r"part-(\d+)-(\d+)\.mp4")


def _resume_point(folder: Path, pictures: dict[int, Path], rate, duration: float) -> int:
    """The keyframe interval the run starts at: the first one any rung lacks among those an
    earlier attempt left in ``folder`` (verified, see ``resume``); the last interval is
    always encoded again (a run that made it may not have finished)."""
    if not pictures:
        return 0
    parts: dict[Path, list] = {}
    for path in folder.glob("part-*.mp4"):
        match = _PART_NAME.fullmatch(path.name)
        rung = pictures.get(int(match.group(1))) if match else None
        if rung is None:
            path.unlink(missing_ok=True)
            continue
        parts.setdefault(rung, []).append((path, int(match.group(2)), False))
    point = resume.resume_point(list(pictures.values()), parts, rate)
    last = max(0, math.ceil(duration / KEYFRAME_SECONDS) - 1)
    if point > last:
        point = last
        for rung in pictures.values():
            resume.keep_fragments(rung, point)
    return point


def _with_thumbnails_track(spec: RenditionSpec, output: Output, info: MediaInfo, stem: str):
    layout = sprite_layout(info, spec)
    sprite_name = spec.output_name(stem)
    track = output.path.with_suffix(".vtt")
    track.write_text(build_thumbnails_vtt(sprite_name, layout, info.duration))
    return Output(
        output.path,
        siblings=((Path(sprite_name).with_suffix(".vtt").name, track),),
        width=layout.tile_width,
        height=layout.tile_height,
    )


def run_video(argvs, timeout, feed, should_stop=None) -> None:
    try:
        results = run_bounded_many(
            argvs, timeout=timeout, on_stdout_line=feed, fail_fast=True, should_stop=should_stop
        )
    except ProcessTimeout as exc:
        raise TranscodeError(
            _("Converting the file took too long and was stopped."), detail=str(exc)
        ) from None
    for result in results:
        if result.returncode != 0:
            check_process_output(result.stderr)
            raise TranscodeError(
                _("The file could not be converted. It may be damaged or incomplete."),
                detail=result.stderr[-2000:],
            )


def verify_video_output(spec: RenditionSpec, path: Path, info: MediaInfo) -> Output:
    """Probe an MP4 rung, poster or sprite: size as planned, an MP4's length as the source's
    and its index (moov) before the media data (faststart)."""
    if not path.exists() or path.stat().st_size == 0:
        raise TranscodeError(_("The converted file is empty."))
    width, height = video_output_size(info, spec)
    if spec.format_name != "mp4":
        output = probe_picture(path)
        if output != (width, height):
            raise TranscodeError(
                _("The converted file has the wrong picture size."),
                detail=f"expected {width}x{height}, got {output}",
            )
        return Output(path, width=width, height=height)
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
    return Output(path, duration=output.duration, width=width, height=height)


def probe_picture(path: Path) -> tuple[int, int] | None:
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


def package_hls(
    spec: RenditionSpec, rungs: dict[int, Output], info: MediaInfo, output_dir: Path, should_stop
) -> Output:
    """Remux the rungs (highest first) into fMP4 HLS and write the master playlist; the
    master lists every rung or the rendition fails."""
    if not rungs:
        raise TranscodeError(_("There is no converted video to prepare for streaming."))
    ordered = [rungs[height] for height in sorted(rungs, reverse=True)]
    output_dir.mkdir()
    argv = build_hls_command(
        ffmpeg_path(),
        [rung.path for rung in ordered],
        output_dir,
        has_audio=bool(info.audio_streams),
        segment_seconds=spec.plan.segment_seconds,
    )
    run_video([argv], max(60, int(info.duration)), None, should_stop)
    rate = output_frame_rate(info)
    variants = [
        Variant(
            output_dir / f"v{index}" / "index.m3u8",
            rung.width,
            rung.height,
            rate,
            bool(info.audio_streams),
        )
        for index, rung in enumerate(ordered)
    ]
    try:
        master = write_hls_master(output_dir, variants)
        files = hls_files(master)
    except OSError as exc:
        if is_transient(exc):  # the work disk is full or failing, not the video
            raise
        raise TranscodeError(
            _("The converted file could not be prepared for streaming."), detail=str(exc)
        ) from None
    except ValueError as exc:
        raise TranscodeError(
            _("The converted file could not be prepared for streaming."), detail=str(exc)
        ) from None
    listed = sum(1 for path in files if path.name == "index.m3u8")
    if listed != len(ordered):
        raise TranscodeError(
            _("The converted file could not be prepared for streaming."),
            detail=f"master lists {listed} of {len(ordered)} rungs",
        )
    return Output(
        master,
        duration=info.duration,
        width=ordered[0].width,
        height=ordered[0].height,
        siblings=tuple((path.relative_to(output_dir).as_posix(), path) for path in files),
    )


# --- sprite ------------------------------------------------------------------------------
def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def build_thumbnails_vtt(sprite_name: str, layout, duration: float) -> str:
    """WebVTT thumbnails track: one cue per tile, ``<sprite_name>#xywh=x,y,w,h``, the sprite
    referenced relatively (it is stored next to the track)."""
    cues = ["WEBVTT", ""]
    for index in range(layout.count):
        start = index * layout.interval
        if start >= duration:
            break
        end = min(start + layout.interval, duration)
        row, column = divmod(index, layout.columns)
        x, y = column * layout.tile_width, row * layout.tile_height
        cues += [
            f"{_timestamp(start)} --> {_timestamp(end)}",
            f"{sprite_name}#xywh={x},{y},{layout.tile_width},{layout.tile_height}",
            "",
        ]
    return "\n".join(cues)
