"""HLS playlists and the MP4 boxes they are made from (pure file handling, no processes).

The HLS rendition's layout in storage: ``<prefix>/master.m3u8`` with one folder per rung,
highest first (``v0/index.m3u8``, ``v0/init.mp4``, ``v0/seg-00000.m4s``, …); playlists
reference each other relatively (see ``storage``).
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

HLS_MASTER_NAME = "master.m3u8"
AAC_LC_CODEC = "mp4a.40.2"


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
