"""Which renditions of a video the pages, embeds and the feed use: the one adapter between
``cms.videos`` and the video profile of ``media_pipeline`` (``media_pipeline.specs``).

Nothing here transcodes or queries beyond the media file's renditions (prefetched when the
queryset used ``prefetch_renditions()``). Rungs are known by their spec, not by their
``height``: a portrait video's 720 rung is 720 pixels wide.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from media_pipeline.models import MediaFile, MediaRendition, RenditionStatus
from media_pipeline.roles import sprite_track_text, video_renditions, video_role_specs
from media_pipeline.specs import (
    VIDEO_AUDIO_ONLY_SPEC,
    VIDEO_HLS_SPEC,
    VIDEO_LADDER_SPECS,
    VIDEO_POSTER_SPEC,
    VIDEO_SPRITE_SPEC,
)

__all__ = [
    "VIDEO_AUDIO_ONLY_SPEC",
    "VIDEO_HLS_SPEC",
    "VIDEO_LADDER_SPECS",
    "VIDEO_POSTER_SPEC",
    "VIDEO_SPRITE_SPEC",
    "sprite_track_text",
]

FEED_HEIGHT = 720  # the video podcast enclosure: 720p, or the largest rung below it


class VideoState:
    MISSING = "missing"
    PROCESSING = "processing"
    FAILED = "failed"
    READY = "ready"


@dataclass
class VideoRenditions:
    """The READY outputs of one video, or why there are none yet."""

    state: str
    progress: int = 0
    mp4: list[MediaRendition] = field(default_factory=list)  # highest rung first
    hls: MediaRendition | None = None
    poster: MediaRendition | None = None
    sprite: MediaRendition | None = None
    audio_only: MediaRendition | None = None

    @property
    def feed_mp4(self) -> MediaRendition | None:
        return feed_rendition(self.mp4)

    @property
    def largest(self) -> MediaRendition | None:
        return self.mp4[0] if self.mp4 else None


def ladder_specs() -> dict[int, str]:
    """The ladder's specs by rung, as the operator configured the video profile
    (``MEDIA_DEFAULT_RENDITION_SPECS``); the constants are only the defaults."""
    return video_role_specs()["mp4"]


def rung_height(spec: str) -> int | None:
    for height, rung_spec in ladder_specs().items():
        if rung_spec == spec:
            return height
    return None


def feed_rendition(mp4: list[MediaRendition]) -> MediaRendition | None:
    """720p, or the largest rung below it (small sources are never upscaled)."""
    fitting = [r for r in mp4 if (rung_height(r.spec) or FEED_HEIGHT + 1) <= FEED_HEIGHT]
    return max(fitting, key=lambda r: rung_height(r.spec)) if fitting else None


def get_video_renditions(media_file: MediaFile | None) -> VideoRenditions:
    if media_file is None:
        return VideoRenditions(state=VideoState.MISSING)
    roles = video_renditions(media_file)
    if roles["mp4"]:
        return VideoRenditions(
            state=VideoState.READY,
            mp4=list(roles["mp4"].values()),
            hls=roles.get("hls"),
            poster=roles.get("poster"),
            sprite=roles.get("sprite"),
            audio_only=roles.get("audio_only"),
        )
    by_spec = {r.spec: r for r in media_file.renditions.all()}
    rungs = [by_spec[spec] for spec in _ladder_by_height() if spec in by_spec]
    if rungs and all(r.status == RenditionStatus.FAILED for r in rungs):
        return VideoRenditions(state=VideoState.FAILED)
    progress = max((r.progress for r in rungs), default=0)
    return VideoRenditions(state=VideoState.PROCESSING, progress=progress)


def _ladder_by_height() -> list[str]:
    return [spec for _height, spec in sorted(ladder_specs().items(), reverse=True)]


def ready_sprite(rendition_id: int) -> MediaRendition | None:
    """The READY scrubbing sprite with this id, or None (other renditions are not sprites)."""
    return (
        MediaRendition.objects.filter(
            pk=rendition_id,
            spec=video_role_specs().get("sprite", VIDEO_SPRITE_SPEC),
            status=RenditionStatus.READY,
        )
        .exclude(file="")
        .first()
    )
