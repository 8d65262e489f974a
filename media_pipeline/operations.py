"""Operations: one segment of a spec string each, validated when the spec is parsed.

A spec such as ``mp3|bitrate-128k|loudnorm`` becomes ``[Mp3Format(), Bitrate("128k"),
Loudnorm()]``. Every operation checks its arguments in ``construct()`` and raises
``InvalidRenditionSpecError``, so a bad spec fails where it is written, never in a worker.
Operations then contribute to an ``OutputPlan`` (codec, bitrate, filters, container options)
that the pure command builder turns into ffmpeg arguments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .exceptions import InvalidRenditionSpecError


@dataclass
class OutputPlan:
    """What one output needs; filled in by the operations of its spec."""

    kind: str = ""  # "audio", "video" or "data"
    extension: str = ""
    mime_type: str = ""
    container: str = ""  # ffmpeg muxer name
    codec_options: dict = field(default_factory=dict)
    container_options: dict = field(default_factory=dict)
    bitrate_kbps: int | None = None
    loudnorm: bool = False
    loudness_target: float = -16.0  # LUFS of a stereo output; mono 3 LU lower (AES TD1004)
    mono_bitrate_kbps: int | None = None  # bitrate when the output is mono
    peaks: int | None = None
    sample_rate: int = 44100
    # Video and image outputs (see the video profile in specs.py).
    height: int | None = None  # the shorter side of the picture: portrait videos keep theirs
    crf: int | None = None
    maxrate_kbps: int | None = None
    width: int | None = None  # sprite thumbnails: width of one tile
    thumbnail: bool = False
    at_ms: int | None = None
    interval: int | None = None
    columns: int | None = None
    segment_seconds: int | None = None
    master: bool = False
    multi_file: bool = False  # the rendition's file has siblings in storage (video.py)


class Operation:
    """Base class: ``Operation(name, *args)``; subclasses implement construct() and apply()."""

    def __init__(self, name, *args):
        self.name = name
        self.args = args
        try:
            self.construct(*args)
        except TypeError:
            raise InvalidRenditionSpecError(
                f"Wrong number of arguments for “{name}”: {'-'.join((name, *args))}"
            ) from None

    def construct(self):
        pass

    def apply(self, plan: OutputPlan) -> None:
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}({'-'.join((self.name, *self.args))})"


class FormatOperation(Operation):
    """The first segment of every spec: which kind of output this is, declared as data."""

    kind = ""
    extension = ""
    mime_type = ""
    container = ""
    codec_options: dict = {}
    container_options: dict = {}
    default_bitrate_kbps: int | None = None
    # Names of the modifiers this format accepts, and of those it cannot do without.
    modifiers: frozenset[str] = frozenset()
    required: frozenset[str] = frozenset()
    multi_file = False
    # The batch whose worker run makes this output (see ``specs.batch_name``): outputs of one
    # batch come from one decode of the source and are claimed, stored and failed together.
    batch = ""
    # Settings that change what this format makes: part of every rendition's recipe, so an
    # operator's change makes the renditions stale (``specs.recipe``).
    settings_used: tuple[str, ...] = ()
    # A rung of the video ladder (never above the source's size) / an output packaged from
    # every rung of its batch's attempt (the batch claims the READY rungs with it).
    rung = False
    packages_rungs = False

    def batch_name(self, spec: str, plan: OutputPlan) -> str:
        return self.batch

    def check_modifiers(self, names: list[str], spec: str) -> None:
        unknown = [name for name in names if name not in self.modifiers]
        if unknown:
            raise InvalidRenditionSpecError(
                f"“{unknown[0]}” does not apply to {self.name} outputs: {spec!r}"
            )
        missing = sorted(self.required - set(names))
        if missing:
            raise InvalidRenditionSpecError(
                f"A {self.name} spec needs {', '.join(missing)}: {spec!r}"
            )

    def apply(self, plan):
        plan.kind, plan.extension = self.kind, self.extension
        plan.mime_type, plan.container = self.mime_type, self.container
        plan.codec_options = dict(self.codec_options)
        plan.container_options = dict(self.container_options)
        plan.bitrate_kbps = plan.bitrate_kbps or self.default_bitrate_kbps
        plan.multi_file = self.multi_file


class Mp3Format(FormatOperation):
    kind, extension, mime_type, container = "audio", "mp3", "audio/mpeg", "mp3"
    # LAME quality 5: at 128 kbit/s CBR speech sounds the same as the default 3, and the
    # encoder runs about a quarter faster (benchmarks/transcode_audio.py).
    codec_options = {"c:a": "libmp3lame", "compression_level": 5, "write_xing": 1}
    # ID3v2.3 is what most podcast apps read best; no embedded cover art in enclosures.
    container_options = {"id3v2_version": 3}
    default_bitrate_kbps = 128
    modifiers = frozenset({"bitrate", "mono", "loudnorm"})
    batch = "audio"


class AacFormat(FormatOperation):
    kind, extension, mime_type, container = "audio", "m4a", "audio/mp4", "ipod"
    # The "fast" coder: about 40 % quicker than the default two-loop search.
    codec_options = {"c:a": "aac", "aac_coder": "fast"}
    # The index (moov) in front, so players can start and seek before the download ends.
    container_options = {"movflags": "+faststart"}
    default_bitrate_kbps = 96
    modifiers = frozenset({"bitrate", "mono", "loudnorm"})
    batch = "audio"


class WaveformFormat(FormatOperation):
    kind, extension, mime_type = "data", "json", "application/json"
    modifiers = frozenset({"peaks"})
    batch = "audio"

    def apply(self, plan):
        super().apply(plan)
        plan.peaks = plan.peaks or 1000


class Bitrate(Operation):
    pattern = re.compile(r"^(\d{2,3})k$")

    def construct(self, value):
        match = self.pattern.match(value)
        if not match or not 32 <= int(match.group(1)) <= 320:
            raise InvalidRenditionSpecError(
                f"Bitrate must be between 32k and 320k, e.g. bitrate-128k; got “{value}”."
            )
        self.kbps = int(match.group(1))

    def apply(self, plan):
        plan.bitrate_kbps = self.kbps


class Loudnorm(Operation):
    """``loudnorm-16``: normalise to −16 LUFS integrated (stereo; a mono output gets 3 LU
    less, −19, as AES TD1004 recommends for podcasts), true peak at most −1 dBTP. A bare
    ``loudnorm`` means −16."""

    def construct(self, target="16"):
        if not target.isdigit() or not 10 <= int(target) <= 30:
            raise InvalidRenditionSpecError(
                f"loudnorm takes the target in LUFS below zero, 10 to 30, e.g. loudnorm-16; "
                f"got “{target}”."
            )
        self.target = -float(target)

    def apply(self, plan):
        plan.loudnorm = True
        plan.loudness_target = self.target


class Mono(Bitrate):
    """``mono-64k``: the bitrate when the output is mono (a mono source stays mono); without
    it a mono output gets half the spec's bitrate."""

    def apply(self, plan):
        plan.mono_bitrate_kbps = self.kbps


class Peaks(Operation):
    def construct(self, count):
        if not count.isdigit() or not 10 <= int(count) <= 10_000:
            raise InvalidRenditionSpecError(
                f"Peaks must be a number from 10 to 10000, e.g. peaks-1000; got “{count}”."
            )
        self.count = int(count)

    def apply(self, plan):
        plan.peaks = self.count


# --- video profile -------------------------------------------------------------------------
class Mp4Format(FormatOperation):
    """One rung of the H.264/AAC ladder: ``mp4|height-720|crf-23|maxrate-3000k``.

    ``bitrate`` is the AAC audio bitrate, as in the audio formats. Keyframes every 2 s (the
    same instants on every rung), square pixels, constant frame rate and the index in front
    are not options: every rung has them (ffmpeg_commands.build_video_command).
    """

    kind, extension, mime_type, container = "video", "mp4", "video/mp4", "mp4"
    codec_options = {"c:v": "libx264", "profile:v": "high", "pix_fmt": "yuv420p", "c:a": "aac"}
    container_options = {"movflags": "+faststart"}
    default_bitrate_kbps = 128
    modifiers = frozenset({"height", "crf", "maxrate", "bitrate"})
    required = frozenset({"height", "crf", "maxrate"})
    batch = "video"
    settings_used = ("MEDIA_VIDEO_PRESET",)
    rung = True


class HlsFormat(FormatOperation):
    """``hls|master``: a master playlist over the MP4 rungs, remuxed from them (``-c copy``)
    into fMP4 segments; its variant playlists and segments are stored under a prefix next to
    it (video.hls_prefix)."""

    kind, extension, mime_type, container = "video", "m3u8", "application/vnd.apple.mpegurl", "hls"
    modifiers = frozenset({"master", "segment"})
    required = frozenset({"master"})
    multi_file = True
    # Packaged from the rungs of the same attempt only, never from older files.
    batch = "video"
    packages_rungs = True

    def apply(self, plan):
        super().apply(plan)
        plan.segment_seconds = plan.segment_seconds or 4


class PosterFormat(FormatOperation):
    """``poster|thumbnail`` (ffmpeg's ``thumbnail`` filter picks a representative frame) or
    ``poster|at-12500ms`` (the frame an editor chose); JPEG, shorter side ``height`` (720)."""

    kind, extension, mime_type, container = "image", "jpg", "image/jpeg", "image2"
    modifiers = frozenset({"thumbnail", "at", "height"})
    batch = "video"

    def batch_name(self, spec, plan):
        # An editor's frame is made on its own: choosing it must not re-encode the ladder.
        return self.batch if plan.thumbnail else spec

    def check_modifiers(self, names, spec):
        super().check_modifiers(names, spec)
        if ("thumbnail" in names) == ("at" in names):
            raise InvalidRenditionSpecError(
                f"A poster spec needs either thumbnail or at-<time>ms: {spec!r}"
            )

    def apply(self, plan):
        super().apply(plan)
        plan.height = plan.height or 720


class SpriteFormat(FormatOperation):
    """``sprite|interval-2|width-160``: one thumbnail every ``interval`` seconds, tiled into one
    JPEG (``columns`` per row, 10 by default), with a WebVTT thumbnails track next to it."""

    kind, extension, mime_type, container = "image", "jpg", "image/jpeg", "image2"
    modifiers = frozenset({"interval", "width", "columns"})
    required = frozenset({"interval", "width"})
    multi_file = True
    batch = "video"

    def apply(self, plan):
        super().apply(plan)
        plan.columns = plan.columns or 10


# --- speech (draft captions and transcript, media_pipeline.speech) ---------------------------
class _SpeechFormat(FormatOperation):
    """A draft made by speech recognition: ``captions|asr`` (WebVTT) and ``transcript|asr``
    (Podcasting 2.0 JSON), made together by the batch ``speech`` on the queue ``asr``."""

    kind = "text"
    modifiers = frozenset({"asr"})
    required = frozenset({"asr"})
    batch = "speech"
    settings_used = ("ASR_MODEL", "ASR_COMPUTE_TYPE", "ASR_BEAM_SIZE")


class CaptionsFormat(_SpeechFormat):
    extension, mime_type = "vtt", "text/vtt"


class TranscriptFormat(_SpeechFormat):
    extension, mime_type = "json", "application/json"


class Asr(Operation):
    def apply(self, plan):
        pass


class _Number(Operation):
    """An operation with one whole-number argument in ``[low, high]``, with optional unit."""

    low, high, unit, attribute, example = 0, 0, "", "", ""

    def construct(self, value):
        digits = value
        if self.unit:
            digits = value[: -len(self.unit)] if value.endswith(self.unit) else ""
        if not digits.isdigit() or not self.low <= int(digits) <= self.high:
            raise InvalidRenditionSpecError(
                f"{self.name} must be from {self.low}{self.unit} to {self.high}{self.unit}, "
                f"e.g. {self.example}; got “{value}”."
            )
        self.value = int(digits)

    def apply(self, plan):
        setattr(plan, self.attribute, self.value)


class Height(_Number):
    low, high, attribute, example = 144, 2160, "height", "height-720"

    def construct(self, value):
        super().construct(value)
        if self.value % 2:
            raise InvalidRenditionSpecError(f"height must be even (H.264 4:2:0); got “{value}”.")


class Crf(_Number):
    low, high, attribute, example = 15, 35, "crf", "crf-23"


class Maxrate(_Number):
    low, high, unit, attribute, example = 100, 20000, "k", "maxrate_kbps", "maxrate-3000k"


class Width(_Number):
    low, high, attribute, example = 32, 640, "width", "width-160"

    def construct(self, value):
        super().construct(value)
        if self.value % 2:
            raise InvalidRenditionSpecError(f"width must be even; got “{value}”.")


class Interval(_Number):
    low, high, attribute, example = 1, 60, "interval", "interval-2"


class Columns(_Number):
    low, high, attribute, example = 1, 30, "columns", "columns-10"


class At(_Number):
    low, high, unit, attribute, example = 0, 4 * 3600 * 1000, "ms", "at_ms", "at-12500ms"


class Segment(_Number):
    low, high, attribute, example = 2, 12, "segment_seconds", "segment-4"

    def construct(self, value):
        super().construct(value)
        if self.value % 2:
            # Keyframes come every 2 s: a segment can only end on one.
            raise InvalidRenditionSpecError(f"segment must be a multiple of 2; got “{value}”.")


class Thumbnail(Operation):
    def apply(self, plan):
        plan.thumbnail = True


class Master(Operation):
    def apply(self, plan):
        plan.master = True


OPERATIONS: dict[str, type[Operation]] = {
    "mp3": Mp3Format,
    "aac": AacFormat,
    "waveform": WaveformFormat,
    "bitrate": Bitrate,
    "loudnorm": Loudnorm,
    "mono": Mono,
    "peaks": Peaks,
    "mp4": Mp4Format,
    "hls": HlsFormat,
    "poster": PosterFormat,
    "sprite": SpriteFormat,
    "height": Height,
    "crf": Crf,
    "maxrate": Maxrate,
    "width": Width,
    "interval": Interval,
    "columns": Columns,
    "at": At,
    "segment": Segment,
    "thumbnail": Thumbnail,
    "master": Master,
    "captions": CaptionsFormat,
    "transcript": TranscriptFormat,
    "asr": Asr,
}
