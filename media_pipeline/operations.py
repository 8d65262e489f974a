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
    peaks: int | None = None
    sample_rate: int = 44100


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

    def apply(self, plan):
        plan.kind, plan.extension = self.kind, self.extension
        plan.mime_type, plan.container = self.mime_type, self.container
        plan.codec_options = dict(self.codec_options)
        plan.container_options = dict(self.container_options)
        plan.bitrate_kbps = plan.bitrate_kbps or self.default_bitrate_kbps


class Mp3Format(FormatOperation):
    kind, extension, mime_type, container = "audio", "mp3", "audio/mpeg", "mp3"
    # LAME quality 5: at 128 kbit/s CBR speech sounds the same as the default 3, and the
    # encoder runs about a quarter faster (benchmarks/transcode_audio.py).
    codec_options = {"c:a": "libmp3lame", "compression_level": 5, "write_xing": 1}
    # ID3v2.3 is what most podcast apps read best; no embedded cover art in enclosures.
    container_options = {"id3v2_version": 3}
    default_bitrate_kbps = 128


class AacFormat(FormatOperation):
    kind, extension, mime_type, container = "audio", "m4a", "audio/mp4", "ipod"
    # The "fast" coder: about 40 % quicker than the default two-loop search.
    codec_options = {"c:a": "aac", "aac_coder": "fast"}
    # The index (moov) in front, so players can start and seek before the download ends.
    container_options = {"movflags": "+faststart"}
    default_bitrate_kbps = 96


class WaveformFormat(FormatOperation):
    kind, extension, mime_type = "data", "json", "application/json"

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
    def apply(self, plan):
        plan.loudnorm = True


class Peaks(Operation):
    def construct(self, count):
        if not count.isdigit() or not 10 <= int(count) <= 10_000:
            raise InvalidRenditionSpecError(
                f"Peaks must be a number from 10 to 10000, e.g. peaks-1000; got “{count}”."
            )
        self.count = int(count)

    def apply(self, plan):
        plan.peaks = self.count


OPERATIONS: dict[str, type[Operation]] = {
    "mp3": Mp3Format,
    "aac": AacFormat,
    "waveform": WaveformFormat,
    "bitrate": Bitrate,
    "loudnorm": Loudnorm,
    "peaks": Peaks,
}
