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
    rotation: int = 0  # degrees, from the display matrix (phones record portrait this way)
    frame_rate: float | None = None  # average frames per second of the first video stream
    sample_aspect: float = 1.0  # pixel aspect ratio (anamorphic DV/DVD sources are not 1)

    @property
    def kind(self) -> str:
        return "video" if self.video_streams else "audio"

    @property
    def display_size(self) -> tuple[int, int] | None:
        """(width, height) as the picture is shown: ffmpeg applies the rotation when it
        decodes, so a portrait phone video stored as 1920x1080 with rotation 90 is 1080x1920."""
        if not self.width or not self.height:
            return None
        width = round(self.width * self.sample_aspect)
        if self.rotation % 180:
            return self.height, width
        return width, self.height


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
    cover_art = [s for s in streams if s.get("codec_type") == "video" and _is_still_image(s)]
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
        rotation=_rotation(first_video),
        frame_rate=_rate(first_video.get("avg_frame_rate"))
        or _rate(first_video.get("r_frame_rate")),
        sample_aspect=_rate(str(first_video.get("sample_aspect_ratio", "")).replace(":", "/"))
        or 1.0,
    )


STILL_IMAGE_CODECS = {"mjpeg", "png", "bmp", "gif", "webp", "tiff"}


def _is_still_image(stream: dict) -> bool:
    """Cover art, or a single picture muxed as a video track (an "audio in a video
    container" upload): such a file is audio, and never gets a video rendition."""
    if (stream.get("disposition") or {}).get("attached_pic"):
        return True
    if str(stream.get("nb_frames", "")) == "1":
        return True
    return stream.get("codec_name") in STILL_IMAGE_CODECS and not _rate(
        stream.get("avg_frame_rate")
    )


def _rotation(stream: dict) -> int:
    for side_data in stream.get("side_data_list") or []:
        if "rotation" in side_data:
            return int(round(float(side_data["rotation"]))) % 360
    rotate = (stream.get("tags") or {}).get("rotate")
    return int(rotate) % 360 if str(rotate or "").lstrip("-").isdigit() else 0


def _rate(value) -> float | None:
    numerator, _sep, denominator = str(value or "").partition("/")
    try:
        rate = float(numerator) / float(denominator or 1)
    except (ValueError, ZeroDivisionError):
        return None
    return rate if rate > 0 else None


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
