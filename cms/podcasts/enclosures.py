"""Which renditions of an episode's audio a podcast app gets, by file extension.

The enclosure URL of an episode is ``/podcast-audio/<guid>.<extension>``: the extension picks
the default audio spec of that format (MP3 is the enclosure, M4A the alternate enclosure),
so an operator who changes the default bitrate changes what the feed delivers.
"""

from __future__ import annotations

from media_pipeline.models import MediaKind
from media_pipeline.specs import RenditionSpec, default_specs

ENCLOSURE_EXTENSION = "mp3"
ALTERNATE_EXTENSIONS = ("m4a",)


def spec_for_extension(extension: str, kind: str = MediaKind.AUDIO) -> str | None:
    for spec in default_specs(kind):
        if RenditionSpec(spec).plan.extension == extension:
            return spec
    return None


def enclosure_spec() -> str:
    spec = spec_for_extension(ENCLOSURE_EXTENSION)
    if spec is None:
        raise LookupError("MEDIA_DEFAULT_RENDITION_SPECS has no MP3 spec for audio")
    return spec


def waveform_spec() -> str | None:
    for spec in default_specs(MediaKind.AUDIO):
        if RenditionSpec(spec).plan.kind == "data":
            return spec
    return None
