"""Rendition specs: parsing, and the default outputs per media kind (the one place for them).

Grammar as in Wagtail's image filters: ``operation-arg-arg`` segments joined by ``|``; the
first segment names the output format. ``RenditionSpec("mp3|bitrate-128k|mono-64k|loudnorm-16")``.
"""

from __future__ import annotations

import hashlib
import re
from functools import cached_property

from django.conf import settings
from django.utils.translation import gettext as _

from .exceptions import InvalidRenditionSpecError
from .operations import OPERATIONS, FormatOperation, OutputPlan

SPEC_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*(\|[a-z0-9]+(-[a-z0-9]+)*)*$")


class RenditionSpec:
    def __init__(self, spec: str):
        if not isinstance(spec, str) or not SPEC_PATTERN.match(spec):
            raise InvalidRenditionSpecError(f"Not a rendition spec: {spec!r}")
        self.spec = spec
        self.operations  # noqa: B018 - validate now, not in a worker

    def __str__(self):
        return self.spec

    def __repr__(self):
        return f"RenditionSpec({self.spec!r})"

    def __eq__(self, other):
        return isinstance(other, RenditionSpec) and other.spec == self.spec

    def __hash__(self):
        return hash(self.spec)

    @cached_property
    def operations(self):
        operations = []
        for index, segment in enumerate(self.spec.split("|")):
            name, *args = segment.split("-")
            operation_class = OPERATIONS.get(name)
            if operation_class is None:
                raise InvalidRenditionSpecError(f"Unknown operation “{name}” in {self.spec!r}")
            if (index == 0) != issubclass(operation_class, FormatOperation):
                raise InvalidRenditionSpecError(
                    f"A spec starts with exactly one format (mp3, aac, waveform): {self.spec!r}"
                )
            operations.append(operation_class(name, *args))
        names = [operation.name for operation in operations]
        if len(set(names)) != len(names):
            raise InvalidRenditionSpecError(f"Operation given twice in {self.spec!r}")
        operations[0].check_modifiers(names[1:], self.spec)
        return operations

    @cached_property
    def plan(self) -> OutputPlan:
        plan = OutputPlan()
        # Modifiers first so the format can fill in what they left open.
        for operation in self.operations[1:]:
            operation.apply(plan)
        self.operations[0].apply(plan)
        return plan

    @property
    def format_name(self) -> str:
        return self.operations[0].name

    @property
    def batch_name(self) -> str:
        """The batch that makes this output: ``audio``, ``video``, or the spec itself for an
        editor's poster frame (declared by the format operation)."""
        return self.operations[0].batch_name(self.spec, self.plan)

    @property
    def is_rung(self) -> bool:
        return self.operations[0].rung

    @property
    def packages_rungs(self) -> bool:
        return self.operations[0].packages_rungs

    @property
    def label(self) -> str:
        """What editors read instead of the spec: “MP4 720p”, “MP3 128 kbit/s”, “Poster image”.
        The spec stays the identifier; this is only its name in words."""
        plan, name = self.plan, self.format_name
        if name in ("mp3", "aac"):
            return _("%(format)s %(kbps)s kbit/s") % {
                "format": name.upper(),
                "kbps": plan.bitrate_kbps,
            }
        if name == "mp4":
            return _("MP4 %(height)sp") % {"height": plan.height}
        if name == "hls":
            return _("HLS stream (all sizes)")
        if name == "waveform":
            return _("Waveform")
        if name == "sprite":
            return _("Preview images for the timeline")
        if name == "poster" and plan.at_ms is not None:
            seconds = plan.at_ms // 1000
            return _("Poster image at %(time)s") % {
                "time": f"{seconds // 60}:{seconds % 60:02d}",
            }
        if name == "poster":
            return _("Poster image")
        if name == "captions":
            return _("Captions (automatically made – unreviewed)")
        if name == "transcript":
            return _("Transcript (automatically made – unreviewed)")
        return self.spec

    def output_name(self, source_stem: str) -> str:
        """Deterministic file name, as Wagtail's: ``<stem>.<spec, . for |>.<ext>``."""
        return f"{source_stem}.{self.spec.replace('|', '.')}.{self.plan.extension}"


# Raise when the pipeline makes different files from the same spec and settings: every
# rendition becomes stale and ``regenerate_media_renditions`` makes it again.
PIPELINE_VERSION = "2"


def recipe(spec: str) -> str:
    """Fingerprint of everything besides the source that decides a rendition's output: the
    spec, the settings its format uses (``settings_used``), the pipeline version, and for HLS
    the ladder it packages. A rendition whose recipe differs is stale."""
    parsed = RenditionSpec(spec)
    parts = [PIPELINE_VERSION, spec]
    for operation in parsed.operations:
        for name in getattr(operation, "settings_used", ()):
            parts.append(f"{name}={getattr(settings, name, None)!r}")
    if parsed.packages_rungs:
        parts += sorted(s for s in default_specs("video") if RenditionSpec(s).is_rung)
        parts += [f"MEDIA_VIDEO_PRESET={getattr(settings, 'MEDIA_VIDEO_PRESET', None)!r}"]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def default_specs(kind: str) -> tuple[str, ...]:
    """The renditions every media file of this kind gets; read from settings so that an
    operator's change marks existing renditions as stale (``regenerate_media_renditions``)."""
    return tuple(getattr(settings, "MEDIA_DEFAULT_RENDITION_SPECS", DEFAULT_RENDITION_SPECS)[kind])


# −16 LUFS (mono −19), true peak ≤ −1 dBTP; a mono source stays mono at half the bitrate.
PODCAST_MP3_SPEC = "mp3|bitrate-128k|mono-64k|loudnorm-16"
PODCAST_AAC_SPEC = "aac|bitrate-96k|mono-48k|loudnorm-16"
WAVEFORM_SPEC = "waveform|peaks-1000"

# --- the video profile ("Kurz erklärt") ------------------------------------------------------
# The H.264/AAC ladder by rung: ``height`` is the picture's shorter side, so a portrait phone
# video's 720 rung is 720x1280. Rungs above the source are not created (never upscaled);
# a source smaller than the lowest rung gets that rung at its own size. CRF decides the
# quality, ``maxrate`` caps the peaks (VBV buffer twice the cap).
VIDEO_LADDER_SPECS = {
    1080: "mp4|height-1080|crf-23|maxrate-5000k",
    720: "mp4|height-720|crf-23|maxrate-3000k",
    480: "mp4|height-480|crf-24|maxrate-1500k",
    360: "mp4|height-360|crf-25|maxrate-800k",
}
VIDEO_HLS_SPEC = "hls|master"
VIDEO_POSTER_SPEC = "poster|thumbnail"
VIDEO_SPRITE_SPEC = "sprite|interval-2|width-160"
# "nur anhören": the podcast AAC (loudness-normalised .m4a, index in front).
VIDEO_AUDIO_ONLY_SPEC = PODCAST_AAC_SPEC

VIDEO_PROFILE_SPECS = (
    *VIDEO_LADDER_SPECS.values(),
    VIDEO_HLS_SPEC,
    VIDEO_POSTER_SPEC,
    VIDEO_SPRITE_SPEC,
    VIDEO_AUDIO_ONLY_SPEC,
)
"""How consumers (pages, embeds, feeds) find a video's outputs.

``media_pipeline.video.video_renditions(media_file)`` (also ``MediaFile.video_renditions()``)
returns the READY renditions by role: ``{"mp4": {1080: r, 720: r, …}, "hls": r, "poster": r,
"sprite": r, "audio_only": r}`` (roles missing until READY; prefetch with
``MediaFile.objects.prefetch_renditions()`` to avoid queries). Every URL is the storage's
``url()`` of a stored name, so it works for local media (``MEDIA_URL``) and S3 alike (the S3
storage is configured without signed query strings, which relative references need):

- MP4 rung: ``rendition.url``; its ``width``/``height`` are the real picture size.
- HLS: ``rendition.url`` is the master playlist ``…/<stem>.hls.master/master.m3u8``. Variant
  playlists, init segments and media segments are stored under that same prefix
  (``v0/index.m3u8``, ``v0/init_0.mp4``, ``v0/seg-00000.m4s``, …, highest rung ``v0``) and
  are referenced relatively, so the storage URL of the master is all a player needs.
- Poster: ``rendition.url`` (JPEG). An editor's frame: request ``poster_spec_at(seconds)``
  and pass ``poster_at=seconds``; it replaces the automatic poster once READY.
- Sprite: ``rendition.url`` is the tiled JPEG; the WebVTT thumbnails track is stored next to
  it with the same name and ``.vtt`` (``video.sprite_track_name(rendition)``), with cues
  ``<sprite file name>#xywh=x,y,w,h`` relative to it. ``width``/``height`` of the rendition
  are one tile's size.
- Audio only: ``rendition.url`` (``audio/mp4``); absent for videos without sound.
"""

# Drafts of speech recognition (media_pipeline.speech), for every audio and video file with
# sound while ``asr.enabled()``; not part of MEDIA_DEFAULT_RENDITION_SPECS.
SPEECH_VTT_SPEC = "captions|asr"
SPEECH_JSON_SPEC = "transcript|asr"
SPEECH_SPECS = (SPEECH_VTT_SPEC, SPEECH_JSON_SPEC)

DEFAULT_RENDITION_SPECS = {
    "audio": (PODCAST_MP3_SPEC, PODCAST_AAC_SPEC, WAVEFORM_SPEC),
    "video": VIDEO_PROFILE_SPECS,
}


def poster_spec_at(seconds: float) -> str:
    """The spec of a poster taken at the frame an editor chose (``poster|at-12500ms``)."""
    return f"poster|at-{max(0, round(seconds * 1000))}ms"
