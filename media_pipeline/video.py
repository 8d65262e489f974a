"""The video profile's multi-file outputs and how consumers find a video's renditions.

Storage layout (names relative to the media storage; every URL is ``storage.url(name)``, so
local media and S3 behave the same):

- ``media/renditions/<media file id>/<stem>.hls.master/master.m3u8`` is the HLS rendition's
  file; next to it ``v0/index.m3u8``, ``v0/init.mp4``, ``v0/seg-00000.m4s``, … one folder per
  rung, highest first. Playlists reference each other relatively.
- ``media/renditions/<id>/<stem>.sprite.interval-2.width-160.jpg`` is the sprite rendition's
  file, the WebVTT thumbnails track is the same name with ``.vtt``.

A rendition's sibling files are removed with it (``signal_handlers``) and before it is
stored again (``services._store_outputs``), so a regenerated HLS never serves stale segments.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path, PurePosixPath

from .specs import (
    VIDEO_AUDIO_ONLY_SPEC,
    VIDEO_HLS_SPEC,
    VIDEO_POSTER_SPEC,
    VIDEO_SPRITE_SPEC,
    RenditionSpec,
    poster_spec_at,
)

HLS_MASTER_NAME = "master.m3u8"
AAC_LC_CODEC = "mp4a.40.2"


# --- consumers ---------------------------------------------------------------------------
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
    rungs = {}
    for spec, rendition in ready.items():
        parsed = RenditionSpec(spec)
        if parsed.format_name == "mp4":
            rungs[parsed.plan.height] = rendition
    roles = {"mp4": dict(sorted(rungs.items(), reverse=True))}
    for role, spec in (
        ("hls", VIDEO_HLS_SPEC),
        ("poster", VIDEO_POSTER_SPEC),
        ("sprite", VIDEO_SPRITE_SPEC),
        ("audio_only", VIDEO_AUDIO_ONLY_SPEC),
    ):
        if spec in ready:
            roles[role] = ready[spec]
    if poster_at is not None and poster_spec_at(poster_at) in ready:
        roles["poster"] = ready[poster_spec_at(poster_at)]
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


# --- storage layout ----------------------------------------------------------------------
def stored_names(folder: str, stem: str, spec: RenditionSpec) -> tuple[str, str]:
    """(main file name, sibling prefix) in storage for a rendition; the prefix is "" for
    single-file outputs. ``folder`` is the media file's rendition folder."""
    if spec.format_name == "hls":
        prefix = f"{folder}/{stem}.{spec.spec.replace('|', '.')}"
        return f"{prefix}/{HLS_MASTER_NAME}", prefix
    return f"{folder}/{spec.output_name(stem)}", ""


def rendition_file_names(storage, name: str, spec: str) -> list[str]:
    """Every stored file that belongs to a rendition whose file is ``name`` (siblings first,
    the main file last)."""
    if not name:
        return []
    format_name = spec.split("|", 1)[0]
    if format_name == "hls":
        siblings = _walk(storage, str(PurePosixPath(name).parent))
        return [*(n for n in siblings if n != name), name]
    if format_name == "sprite":
        return [str(PurePosixPath(name).with_suffix(".vtt")), name]
    return [name]


def _walk(storage, prefix: str) -> list[str]:
    try:
        folders, files = storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return []
    names = []
    for folder in folders:
        names += _walk(storage, f"{prefix}/{folder}")
    return names + [f"{prefix}/{file}" for file in files]


def delete_rendition_files(storage, name: str, spec: str) -> None:
    for file_name in rendition_file_names(storage, name, spec):
        storage.delete(file_name)
    if spec.startswith("hls|"):
        _remove_empty_folders(storage, str(PurePosixPath(name).parent))


def _remove_empty_folders(storage, prefix: str) -> None:
    """Local storage keeps the HLS folders once their files are gone; object stores have no
    folders (``path()`` is not implemented there)."""
    try:
        root = Path(storage.path(prefix))
    except NotImplementedError:
        return
    if not root.is_dir():
        return
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    if not any(root.iterdir()):
        root.rmdir()


# --- MP4 boxes ---------------------------------------------------------------------------
def top_level_boxes(path: Path) -> list[str]:
    """Types of the top-level boxes of an MP4 file, in file order (reads headers only)."""
    boxes = []
    with path.open("rb") as handle:
        size_left = path.stat().st_size
        while size_left >= 8:
            header = handle.read(8)
            size, kind = struct.unpack(">I4s", header)
            header_size = 8
            if size == 1:
                size = struct.unpack(">Q", handle.read(8))[0]
                header_size = 16
            elif size == 0:
                size = size_left
            boxes.append(kind.decode("latin-1"))
            if size < header_size:
                break
            handle.seek(size - header_size, 1)
            size_left -= size
    return boxes


def avc_codec_string(init_segment: Path) -> str:
    """RFC 6381 codec string (``avc1.64001f``) from the avcC box of an init segment."""
    data = init_segment.read_bytes()
    at = data.find(b"avcC")
    if at < 0 or len(data) < at + 8:
        raise ValueError(f"no avcC box in {init_segment.name}")
    profile, compatibility, level = data[at + 5], data[at + 6], data[at + 7]
    return f"avc1.{profile:02x}{compatibility:02x}{level:02x}"


# --- HLS ---------------------------------------------------------------------------------
@dataclass
class VariantPlaylist:
    path: Path
    init: str
    segments: list[tuple[str, float]]  # (relative URI, duration)

    def files(self) -> list[Path]:
        folder = self.path.parent
        return [folder / self.init, *(folder / uri for uri, _duration in self.segments)]


def parse_variant_playlist(path: Path) -> VariantPlaylist:
    init, segments, duration = "", [], None
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("#EXT-X-MAP:"):
            match = re.search(r'URI="([^"]+)"', line)
            init = match.group(1) if match else ""
        elif line.startswith("#EXTINF:"):
            duration = float(line[len("#EXTINF:") :].split(",", 1)[0])
        elif line and not line.startswith("#"):
            segments.append((line, duration or 0.0))
            duration = None
    return VariantPlaylist(path, init, segments)


@dataclass
class Variant:
    playlist: Path
    width: int
    height: int
    frame_rate: Fraction
    has_audio: bool


def write_hls_master(output_dir: Path, variants: list[Variant]) -> Path:
    """Write ``master.m3u8`` for the variant playlists ffmpeg wrote: BANDWIDTH is the peak
    segment bitrate (as RFC 8216 asks), AVERAGE-BANDWIDTH the mean, CODECS read from each
    init segment, RESOLUTION and FRAME-RATE from the rung."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for variant in variants:
        playlist = parse_variant_playlist(variant.playlist)
        folder = variant.playlist.parent
        rates, total_bits, total_seconds = [], 0, 0.0
        for uri, seconds in playlist.segments:
            bits = (folder / uri).stat().st_size * 8
            total_bits += bits
            total_seconds += seconds
            rates.append(bits / seconds if seconds > 0 else 0)
        codecs = [avc_codec_string(folder / playlist.init)]
        if variant.has_audio:
            codecs.append(AAC_LC_CODEC)
        attributes = [
            f"BANDWIDTH={int(max(rates, default=0)) + 1}",
            f"AVERAGE-BANDWIDTH={int(total_bits / total_seconds) if total_seconds else 0}",
            f'CODECS="{",".join(codecs)}"',
            f"RESOLUTION={variant.width}x{variant.height}",
            f"FRAME-RATE={float(variant.frame_rate):.3f}",
        ]
        lines += [
            f"#EXT-X-STREAM-INF:{','.join(attributes)}",
            variant.playlist.relative_to(output_dir).as_posix(),
        ]
    master = output_dir / HLS_MASTER_NAME
    master.write_text("\n".join(lines) + "\n")
    return master


def hls_files(master: Path) -> list[Path]:
    """Every file a master playlist references, directly or through its variant playlists
    (the master itself excluded); raises FileNotFoundError if one is missing."""
    files = []
    for line in master.read_text().splitlines():
        if line and not line.startswith("#"):
            variant = master.parent / line
            files.append(variant)
            files += parse_variant_playlist(variant).files()
    for path in files:
        if not path.is_file():
            raise FileNotFoundError(path)
    return files


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
