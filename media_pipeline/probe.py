"""Inspecting uploads with ffprobe, treating every file as hostile.

Before ffprobe sees a file, its first bytes must match one of the containers we accept; ffprobe
is then forced to that demuxer (``-f``) with only the ``file`` protocol allowed, so a playlist,
concat list or image sequence can never make it open another file or URL. Sizes, durations,
dimensions and stream counts are capped by settings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .binaries import ffprobe_path
from .exceptions import MediaRejectedError
from .runner import ProcessTimeout, run_bounded

NOT_MEDIA = _("The file is not a readable audio or video file.")


@dataclass
class MediaInfo:
    demuxer: str
    format_name: str
    duration: float
    audio_streams: int
    video_streams: int
    channels: int = 0
    sample_rate: int = 0
    width: int | None = None
    height: int | None = None
    bit_rate: int | None = None
    has_cover_art: bool = False
    raw: dict = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "video" if self.video_streams else "audio"


def sniff_container(path: Path) -> str | None:
    """The ffmpeg demuxer for the file's magic bytes, or None if it is nothing we accept."""
    with path.open("rb") as handle:
        head = handle.read(16)
    if len(head) < 12:
        return None
    if head[:3] == b"ID3":
        return "mp3"
    if head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
        return "aac"  # ADTS
    if head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
        return "mp3"  # MPEG audio frame sync with a layer set
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "aiff"
    if head[4:8] in (b"ftyp", b"moov", b"mdat", b"free", b"wide"):
        return "mov"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "matroska"
    return None


def build_probe_command(path: Path, demuxer: str) -> list[str]:
    return [
        ffprobe_path(),
        "-v", "error",
        "-hide_banner",
        "-protocol_whitelist", "file",
        "-f", demuxer,
        "-probesize", str(settings.MEDIA_PROBE_SIZE),
        "-analyzeduration", str(settings.MEDIA_PROBE_ANALYZE_US),
        "-print_format", "json",
        "-show_format",
        "-show_streams",
        f"file:{path}",
    ]  # fmt: skip


def probe_media(path: str | Path) -> MediaInfo:
    """Probe a local file; return MediaInfo or raise MediaRejectedError (message for editors).

    Never follows references to other files or URLs, never runs longer than
    ``MEDIA_PROBE_TIMEOUT`` seconds.
    """
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise MediaRejectedError(_("The file is empty."))
    if size > settings.MEDIA_MAX_UPLOAD_SIZE:
        raise MediaRejectedError(
            _("The file is larger than the allowed %(size)s MB.")
            % {"size": settings.MEDIA_MAX_UPLOAD_SIZE // 1_000_000}
        )
    demuxer = sniff_container(path)
    if demuxer is None:
        raise MediaRejectedError(NOT_MEDIA)
    try:
        result = run_bounded(
            build_probe_command(path, demuxer), timeout=settings.MEDIA_PROBE_TIMEOUT
        )
    except ProcessTimeout:
        raise MediaRejectedError(NOT_MEDIA) from None
    if result.returncode != 0:
        raise MediaRejectedError(NOT_MEDIA)
    try:
        data = json.loads(result.stdout)
    except ValueError:
        raise MediaRejectedError(NOT_MEDIA) from None
    return check_limits(media_info_from_probe(demuxer, data))


def media_info_from_probe(demuxer: str, data: dict) -> MediaInfo:
    streams = data.get("streams") or []
    fmt = data.get("format") or {}
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    cover_art = [
        s
        for s in streams
        if s.get("codec_type") == "video" and (s.get("disposition") or {}).get("attached_pic")
    ]
    video = [s for s in streams if s.get("codec_type") == "video" and s not in cover_art]
    durations = [_float(fmt.get("duration"))] + [_float(s.get("duration")) for s in streams]
    duration = max((d for d in durations if d), default=0.0)
    first_audio = audio[0] if audio else {}
    first_video = video[0] if video else {}
    return MediaInfo(
        demuxer=demuxer,
        format_name=fmt.get("format_name", ""),
        duration=duration,
        audio_streams=len(audio),
        video_streams=len(video),
        channels=int(first_audio.get("channels") or 0),
        sample_rate=int(first_audio.get("sample_rate") or 0),
        width=first_video.get("width"),
        height=first_video.get("height"),
        bit_rate=int(fmt["bit_rate"]) if str(fmt.get("bit_rate", "")).isdigit() else None,
        has_cover_art=bool(cover_art),
        raw=data,
    )


def check_limits(info: MediaInfo) -> MediaInfo:
    if not info.audio_streams and not info.video_streams:
        raise MediaRejectedError(_("The file contains neither sound nor pictures."))
    if len(info.raw.get("streams") or []) > settings.MEDIA_MAX_STREAMS:
        raise MediaRejectedError(
            _("The file has more than %(count)s tracks.") % {"count": settings.MEDIA_MAX_STREAMS}
        )
    if info.duration <= 0:
        raise MediaRejectedError(_("The length of the recording cannot be determined."))
    if info.duration > settings.MEDIA_MAX_DURATION:
        raise MediaRejectedError(
            _("The recording is longer than the allowed %(hours)s hours.")
            % {"hours": _hours(settings.MEDIA_MAX_DURATION)}
        )
    largest = max(info.width or 0, info.height or 0)
    if largest > settings.MEDIA_MAX_DIMENSION:
        raise MediaRejectedError(
            _("The video is larger than allowed (at most %(pixels)s pixels on its longer side).")
            % {"pixels": settings.MEDIA_MAX_DIMENSION}
        )
    return info


def _hours(seconds: int) -> str:
    hours = seconds / 3600
    return f"{hours:g}"


def _float(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0
