"""Inspecting uploads with ffprobe, treating every file as hostile.

Before ffprobe sees a file, its first bytes must match one of the containers we accept; ffprobe
is then forced to that demuxer (``-f``) with only the ``file`` protocol allowed, so a playlist,
concat list or image sequence can never make it open another file or URL. Sizes, durations,
dimensions and stream counts are capped by settings.

Besides the header fields, ``probe_media`` looks at what headers get wrong in real footage, each
step bounded in time and only where it applies: an MP3's or ADTS AAC's packets are counted (a
truncated MP3 keeps the full length in its Xing/LAME header), a video's first minute of packet
timestamps gives its real maximum frame rate (screen recordings are variable-rate), and a video
whose codec does not state its field order is checked with ``idet`` for interlacing.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .binaries import ffmpeg_path, ffprobe_path
from .exceptions import MediaRejectedError
from .runner import ProcessTimeout, run_bounded

logger = logging.getLogger(__name__)

NOT_MEDIA = _("The file is not a readable audio or video file.")
TRUNCATED = _(
    "The file is incomplete: it ends after %(seconds)s of %(total)s seconds. "
    "Please upload it again."
)
NO_PICTURE_SIZE = _(
    "The picture size of the video cannot be read. The file may be damaged or use a video "
    "format that cannot be converted."
)


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
    audio_index: int = 0  # the audio stream to use, counted among audio streams (a:N)
    # "tff" or "bff" for interlaced video (which field is shown first), else "progressive".
    field_order: str | None = "progressive"  # None: the probe could not tell
    # Highest frame rate the first minute actually has (packet timestamps), None if unknown;
    # a variable-rate screen recording's is well above its average ``frame_rate``.
    max_frame_rate: float | None = None
    # Where the sound ends on the file's timeline (seconds from its start), None if unknown.
    audio_end: float | None = None

    @property
    def interlaced(self) -> bool:
        return self.field_order in ("tff", "bff")

    @property
    def audio_output_duration(self) -> float:
        """How long an audio-only output of this file must be.

        Audio-only outputs keep the file's timeline: sound that starts after the picture is
        preceded by silence, so a listener switching from the video at 0:30 hears the same
        moment (``build_transcode_command`` pads it); the output ends where the sound ends,
        not where the picture does. For a pure audio file this is ``duration``.
        """
        if self.kind != "video" or not self.audio_end:
            return self.duration
        return min(self.audio_end, self.duration)

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
    info = check_limits(media_info_from_probe(demuxer, data))
    if demuxer in COUNTED_DEMUXERS:
        info = _check_complete(path, info)
    if info.kind == "video":
        info = _inspect_video(path, info)
    return info


def media_info_from_probe(demuxer: str, data: dict) -> MediaInfo:
    streams = data.get("streams") or []
    fmt = data.get("format") or {}
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    cover_art = [s for s in streams if s.get("codec_type") == "video" and _is_still_image(s)]
    video = [s for s in streams if s.get("codec_type") == "video" and s not in cover_art]
    durations = [_float(fmt.get("duration"))] + [_float(s.get("duration")) for s in streams]
    duration = max((d for d in durations if d), default=0.0)
    # The track players start with: the one flagged default (a recorder's mixed track after a
    # silent or camera-microphone one), else the first.
    first_audio = next(
        (s for s in audio if (s.get("disposition") or {}).get("default") == 1),
        audio[0] if audio else {},
    )
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
        audio_index=audio.index(first_audio) if audio else 0,
        field_order=FIELD_ORDERS.get(first_video.get("field_order")) if video else "progressive",
        audio_end=_stream_end(first_audio, fmt) if audio and video else None,
    )


# ffprobe's field orders (coded first, displayed first) by the field displayed first;
# anything else ("unknown", missing) is None: ``probe_media`` asks ``idet``.
FIELD_ORDERS = {"progressive": "progressive", "tt": "tff", "bt": "tff", "bb": "bff", "tb": "bff"}


def _stream_end(stream: dict, fmt: dict) -> float | None:
    """Where the stream ends, in seconds from the start of the file's timeline (ffmpeg shifts
    every stream by the earliest start, ``format.start_time``); None if unknown. Matroska
    has no stream durations: ffmpeg's muxer writes the stream's end as a DURATION tag."""
    start = _float(stream.get("start_time"))
    duration = _float(stream.get("duration"))
    if duration:
        end = start + duration
    else:
        end = _clock_seconds((stream.get("tags") or {}).get("DURATION"))
    if not end:
        return None
    return max(0.0, end - _float(fmt.get("start_time")))


def _clock_seconds(value) -> float:
    hours, _sep, rest = str(value or "").rpartition(":")
    hours, _sep, minutes = hours.rpartition(":")
    try:
        return float(hours or 0) * 3600 + float(minutes or 0) * 60 + float(rest)
    except ValueError:
        return 0.0


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
    if info.video_streams and not (info.width and info.height):
        raise MediaRejectedError(NO_PICTURE_SIZE)
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


# --- what headers get wrong ---------------------------------------------------------------
# Samples per packet, by codec: how counted packets become seconds.
SAMPLES_PER_PACKET = {"mp3": 1152, "mp2": 1152, "mp1": 384, "aac": 1024}
COUNTED_DEMUXERS = {"mp3", "aac"}
# A file this much shorter than its header says is incomplete (encoder padding is far less).
TRUNCATION_TOLERANCE = 1.0
IDET_FRAMES = 120
IDET_TIMEOUT = 20
# How much stronger than the other field's combing a frame's must be to count as interlaced
# (idet's default, 1.04, calls sharp moving edges of progressive video interlaced).
IDET_INTERLACED_THRESHOLD = 1.5
FRAME_RATE_SCAN_SECONDS = 60
# Frame rates are measured over windows of this many seconds: a stray timestamp adds at most
# one frame to a window, so the maximum stays within a frame per window of the real one.
FRAME_RATE_WINDOW = 2.0
_IDET = re.compile(r"Multi frame detection: TFF:\s*(\d+) BFF:\s*(\d+) Progressive:\s*(\d+)")


def _check_complete(path: Path, info: MediaInfo) -> MediaInfo:
    """Count the packets an MP3 or ADTS AAC really has (demuxing only: about a second for
    four hours). An MP3 whose Xing/LAME or VBRI header promises more than is there was cut
    off: MediaRejectedError. Without such a header the duration was only estimated from the
    bitrate, so the counted one replaces it."""
    argv = [
        ffprobe_path(),
        "-v", "error",
        "-hide_banner",
        "-protocol_whitelist", "file",
        "-f", info.demuxer,
        "-select_streams", f"a:{info.audio_index}",
        "-count_packets",
        "-show_entries", "stream=codec_name,sample_rate,nb_read_packets",
        "-print_format", "json",
        f"file:{path}",
    ]  # fmt: skip
    try:
        result = run_bounded(argv, timeout=settings.MEDIA_PROBE_TIMEOUT)
        stream = json.loads(result.stdout)["streams"][0]
    except (ProcessTimeout, ValueError, KeyError, IndexError):
        logger.warning("could not count the packets of %s", path)
        return info
    sample_rate = int(stream.get("sample_rate") or 0)
    per_packet = SAMPLES_PER_PACKET.get(stream.get("codec_name"), 0)
    if stream.get("codec_name") == "mp3" and sample_rate < 32000:
        per_packet = 576  # MPEG-2/2.5 Layer III: half the samples per frame
    if not sample_rate or not per_packet:
        return info
    seconds = int(stream.get("nb_read_packets") or 0) * per_packet / sample_rate
    if abs(seconds - info.duration) <= TRUNCATION_TOLERANCE:
        return info
    if seconds < info.duration and _has_length_header(path):
        raise MediaRejectedError(
            TRUNCATED % {"seconds": int(seconds), "total": round(info.duration)}
        )
    return check_limits(replace(info, duration=seconds))


def _has_length_header(path: Path) -> bool:
    """Whether the first MPEG audio frame (after any ID3v2 tag) is a Xing/Info (LAME) or VBRI
    header, which states the stream's length."""
    with path.open("rb") as handle:
        head = handle.read(10)
        offset = 0
        if head[:3] == b"ID3" and len(head) == 10:
            size = int.from_bytes(bytes(b & 0x7F for b in head[6:10]), "big")
            offset = 10 + size + (10 if head[5] & 0x10 else 0)
        handle.seek(offset)
        data = handle.read(4096)
    for index in range(len(data) - 1):
        if data[index] == 0xFF and data[index + 1] & 0xE0 == 0xE0:
            frame = data[index : index + 200]
            return any(tag in frame for tag in (b"Xing", b"Info", b"VBRI"))
    return False


def _main_video_stream(info: MediaInfo) -> dict:
    streams = info.raw.get("streams") or []
    return next(s for s in streams if s.get("codec_type") == "video" and not _is_still_image(s))


def _inspect_video(path: Path, info: MediaInfo) -> MediaInfo:
    """Fill in what a video's headers leave open: interlacing where the codec does not say
    (``idet``), and the highest frame rate of a progressive video."""
    stream = _main_video_stream(info)
    if info.field_order is None:
        info = replace(info, field_order=detect_field_order(path, info.demuxer, stream["index"]))
    if not info.interlaced:
        # Interlaced sources are broadcast and camera footage at a constant rate; some
        # containers carry their fields as separate packets.
        rates = _packet_times(path, info.demuxer, stream["index"])
        info = replace(info, max_frame_rate=max_frame_rate(rates))
    return info


def detect_field_order(path: Path, demuxer: str, stream_index: int) -> str:
    """The field order ("tff", "bff") or "progressive", from ``idet`` on the first
    ``IDET_FRAMES`` frames.

    Interlaced means one field order clearly dominates the frames ``idet`` calls interlaced
    (with a stricter threshold than its default); static frames count as progressive, so
    largely still interlaced footage is still found.
    Anything that goes wrong (undecodable, too slow) counts as progressive."""
    argv = [
        ffmpeg_path(),
        "-nostdin", "-hide_banner", "-nostats",
        "-protocol_whitelist", "file",
        "-f", demuxer,
        "-i", f"file:{path}",
        "-map", f"0:{stream_index}",
        "-frames:v", str(IDET_FRAMES),
        "-vf", f"idet=intl_thres={IDET_INTERLACED_THRESHOLD}",
        "-f", "null", "-",
    ]  # fmt: skip
    try:
        result = run_bounded(argv, timeout=IDET_TIMEOUT)
    except ProcessTimeout:
        logger.warning("idet on %s took too long; taken as progressive", path)
        return "progressive"
    found = _IDET.findall(result.stderr)
    if not found:
        return "progressive"
    tff, bff, _progressive = (int(count) for count in found[-1])
    dominant, other = max(tff, bff), min(tff, bff)
    if dominant >= 10 and dominant >= 4 * other:
        return "tff" if tff >= bff else "bff"
    return "progressive"


def _packet_times(path: Path, demuxer: str, stream_index: int) -> list[float]:
    """Presentation times of the stream's packets in its first ``FRAME_RATE_SCAN_SECONDS``
    (demuxing only, no decoding); [] if they cannot be read in time."""
    argv = [
        ffprobe_path(),
        "-v", "error",
        "-hide_banner",
        "-protocol_whitelist", "file",
        "-f", demuxer,
        "-select_streams", str(stream_index),
        "-read_intervals", f"%+{FRAME_RATE_SCAN_SECONDS}",
        "-show_entries", "packet=pts_time,dts_time",
        "-print_format", "csv=p=0",
        f"file:{path}",
    ]  # fmt: skip
    try:
        result = run_bounded(argv, timeout=settings.MEDIA_PROBE_TIMEOUT)
    except ProcessTimeout:
        logger.warning("reading the packet times of %s took too long", path)
        return []
    times = []
    for line in result.stdout.splitlines():
        # pts, else dts (some AVI packets have no pts)
        value = next((v for v in line.split(",") if v.strip() not in ("", "N/A")), None)
        if value is not None:
            times.append(_float(value))
    return times


def max_frame_rate(times: list[float]) -> float | None:
    """The highest frame rate over any ``FRAME_RATE_WINDOW`` seconds of these frame times
    (frames in the window minus one, over the time they span); None for less than a second
    of frames. Duplicate timestamps count once."""
    times = sorted(set(times))
    best = None
    end = 0
    for start, first in enumerate(times):
        end = max(end, start)
        while end + 1 < len(times) and times[end + 1] - first <= FRAME_RATE_WINDOW:
            end += 1
        span = times[end] - first
        if span >= 1.0:
            rate = (end - start) / span
            best = rate if best is None else max(best, rate)
    return best
