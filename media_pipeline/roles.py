"""How consumers (pages, embeds, feeds) find a video's outputs: READY renditions by role.

The roles are the video profile's default specs (``specs.default_specs("video")``), so an
operator's changed ladder or poster spec is what pages use.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from .specs import RenditionSpec, default_specs, poster_spec_at


def video_renditions(media_file, *, poster_at: float | None = None) -> dict:
    """READY renditions of a video by role: ``{"mp4": {720: r, 480: r} (highest first),
    "hls": r, "poster": r, "sprite": r, "audio_only": r}``; a role is absent until its
    rendition is READY. Uses prefetched renditions (``prefetch_renditions()``) when present;
    never transcodes. The MP4 key is the rung's height from its spec (the real size is on
    the rendition: ``width``/``height``).

    ``poster_at`` is the frame time an editor chose (seconds): its poster
    (``specs.poster_spec_at``, requested with ``services.request_rendition``) replaces the
    automatic one as soon as it is READY."""
    ready = {r.spec: r for r in media_file.renditions.all() if r.status == "ready" and r.file}
    profile = video_role_specs()
    roles = {
        "mp4": {
            height: ready[spec]
            for height, spec in sorted(profile["mp4"].items(), reverse=True)
            if spec in ready
        }
    }
    for role in ("hls", "poster", "sprite", "audio_only"):
        spec = profile.get(role)
        if spec in ready:
            roles[role] = ready[spec]
    if poster_at is not None and poster_spec_at(poster_at) in ready:
        roles["poster"] = ready[poster_spec_at(poster_at)]
    return roles


def video_role_specs() -> dict:
    """The video profile's specs by role, read from ``default_specs("video")``:
    ``{"mp4": {height: spec}, "hls": spec, "poster": spec, "sprite": spec,
    "audio_only": spec}`` (roles without a spec are absent)."""
    roles: dict = {"mp4": {}}
    for spec in default_specs("video"):
        parsed = RenditionSpec(spec)
        role = {"hls": "hls", "poster": "poster", "sprite": "sprite"}.get(parsed.format_name)
        if parsed.format_name == "mp4":
            roles["mp4"][parsed.plan.height] = spec
        elif role:
            roles.setdefault(role, spec)
        elif parsed.plan.kind == "audio":
            roles.setdefault("audio_only", spec)
    return roles


def sprite_track_name(rendition) -> str:
    """Storage name of the WebVTT thumbnails track of a sprite rendition."""
    return str(PurePosixPath(rendition.file.name).with_suffix(".vtt"))


def sprite_track_url(rendition) -> str:
    return rendition.file.storage.url(sprite_track_name(rendition)) if rendition.file else ""


def sprite_track_text(rendition) -> str:
    """The sprite's WebVTT thumbnails track with every cue pointing at the sprite's own URL.

    The stored track references the sprite relatively, which only works when the track is read
    from storage. Served from the site instead (``cms.videos.views.thumbnails_track``), a
    script can read it without CORS on the bucket, while the image, used as a CSS background,
    still comes from storage."""
    with rendition.file.storage.open(sprite_track_name(rendition), "rb") as handle:
        text = handle.read().decode("utf-8")
    sprite_name = PurePosixPath(rendition.file.name).name
    sprite_url = rendition.file.storage.url(rendition.file.name)
    return re.sub(
        rf"^{re.escape(sprite_name)}#xywh=",
        lambda _match: f"{sprite_url}#xywh=",
        text,
        flags=re.MULTILINE,
    )
